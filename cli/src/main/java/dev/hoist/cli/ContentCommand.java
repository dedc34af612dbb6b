package dev.hoist.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.cli.progress.Units;
import dev.hoist.content.ContentInfo;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.content.local.StoreVerifier;
import dev.hoist.digest.Digest;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.NotFoundException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code hoist content ls|verify|rm}: the blobs in the store. */
final class ContentCommand {

  private ContentCommand() {}

  /** {@code hoist content ls}. */
  static final class Ls extends Command {

    Ls() {
      super(
          "content ls",
          "List blobs: digest, size, labels.",
          List.of(StoreOption.STORE, Output.QUIET, Output.QUIET_LONG, Output.FORMAT));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      args.none();
      boolean json = Output.json(args);
      Optional<LocalContentStore> store = ReadOnlyStore.open(args);
      List<ContentInfo> infos = new ArrayList<>();
      if (store.isPresent()) {
        store.get().walk(i -> true, infos::add);
      }
      infos.sort((a, b) -> a.digest().compareTo(b.digest()));
      if (json) {
        ObjectNode doc = Output.object();
        ArrayNode list = doc.putArray("blobs");
        for (ContentInfo i : infos) {
          ObjectNode n = list.addObject();
          n.put("digest", i.digest().toString());
          n.put("size", i.size());
          n.put("createdAt", i.createdAt() == null ? null : i.createdAt().toString());
          n.put("updatedAt", i.updatedAt() == null ? null : i.updatedAt().toString());
          n.set("labels", Output.labelsNode(i.labels()));
        }
        Output.print(out, doc);
      } else if (Output.quiet(args)) {
        infos.forEach(i -> out.println(i.digest()));
      } else {
        out.printf("%-71s %10s %s%n", "DIGEST", "SIZE", "LABELS");
        for (ContentInfo i : infos) {
          out.printf(
              "%-71s %10s %s%n", i.digest(), Units.bytes(i.size()), Output.labels(i.labels()));
        }
      }
      return 0;
    }
  }

  /** {@code hoist content verify}. */
  static final class Verify extends Command {

    private static final Args.Option REPAIR =
        Args.Option.flag(
            "--repair", "Remove damaged blobs, so that the next fetch downloads them again.");

    Verify() {
      super(
          "content verify",
          "Re-hash every blob, find missing and stray ones; exit 1 on any damage.",
          List.of(StoreOption.STORE, REPAIR, Output.FORMAT));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      args.none();
      boolean json = Output.json(args);
      Optional<LocalContentStore> store = ReadOnlyStore.open(args);
      StoreVerifier.Report r =
          store.isPresent()
              ? StoreVerifier.verify(store.get(), args.has(REPAIR.name()))
              : new StoreVerifier.Report(0, List.of(), List.of(), List.of(), 0, List.of());
      if (json) {
        ObjectNode doc = Output.object();
        doc.put("checked", r.checked());
        ArrayNode damaged = doc.putArray("damaged");
        for (StoreVerifier.Damaged d : r.damaged()) {
          ObjectNode n =
              damaged.addObject().put("digest", d.digest().toString()).put("problem", d.problem());
          d.images().forEach(n.putArray("images")::add);
        }
        ArrayNode missing = doc.putArray("missing");
        for (StoreVerifier.Missing m : r.missing()) {
          ObjectNode n =
              missing.addObject().put("digest", m.digest().toString()).put("role", m.role());
          m.images().forEach(n.putArray("images")::add);
        }
        r.stray().forEach(doc.putArray("stray")::add);
        doc.put("layersNotStored", r.layersNotStored());
        ArrayNode repaired = doc.putArray("repaired");
        r.repaired().forEach(d -> repaired.add(d.toString()));
        Output.print(out, doc);
      } else {
        for (StoreVerifier.Damaged d : r.damaged()) {
          err.println("hoist: damaged " + d.digest() + ": " + d.problem() + owners(d.images()));
        }
        for (StoreVerifier.Missing m : r.missing()) {
          err.println(
              "hoist: missing "
                  + m.digest()
                  + ": the "
                  + m.role()
                  + " of "
                  + String.join(", ", m.images()));
        }
        for (String s : r.stray()) {
          err.println("hoist: not content: " + s);
        }
        for (Digest d : r.repaired()) {
          out.println("removed damaged " + d + "; fetch its image again to restore it");
        }
        out.println(
            r.checked()
                + " blobs checked, "
                + r.damaged().size()
                + " damaged, "
                + r.missing().size()
                + " missing, "
                + r.stray().size()
                + " stray"
                + (r.layersNotStored() > 0
                    ? "; "
                        + r.layersNotStored()
                        + " layers of stored manifests not fetched (see hoist images check)"
                    : ""));
      }
      return r.ok() ? 0 : 1;
    }

    private static String owners(List<String> images) {
      return images.isEmpty()
          ? " (no image uses it)"
          : " (used by " + String.join(", ", images) + ")";
    }
  }

  /** {@code hoist content rm DIGEST...}. */
  static final class Rm extends Command {

    Rm() {
      super(
          "content rm",
          "Remove blobs (an image that needs one is incomplete until pulled again).",
          "DIGEST...",
          "Blob digests, e.g. sha256:<64 hex digits>.",
          List.of(StoreOption.STORE));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      if (args.positionals().isEmpty()) {
        throw new Args.UsageException("missing DIGEST (a blob digest)");
      }
      List<Digest> digests = new ArrayList<>();
      for (String s : args.positionals()) {
        digests.add(Digest.parse(s)); // a malformed digest fails before anything is removed
      }
      LocalContentStore cs = LocalContentStore.openExisting(StoreOption.resolve(args));
      int status = 0;
      for (Digest d : digests) {
        try {
          cs.deleteBlob(d);
          out.println(d);
        } catch (NotFoundException e) {
          err.println("hoist: content " + d + ": not found");
          status = 1;
        } catch (HoistException e) {
          err.println("hoist: content " + d + ": " + HoistCli.message(e));
          status = 1;
        }
      }
      return status;
    }
  }
}
