package dev.hoist.cli;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.cli.progress.Units;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@code hoist content ls|verify}: the blobs in the store. */
final class ContentCommand {

  private ContentCommand() {}

  /** {@code hoist content ls}. */
  static final class Ls extends Command {

    Ls() {
      super("content ls", "List blobs: digest, size, labels.", List.of(StoreOption.STORE));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      args.none();
      LocalContentStore cs = LocalContentStore.open(StoreOption.resolve(args));
      List<ContentInfo> infos = new ArrayList<>();
      cs.walk(i -> true, infos::add);
      infos.sort((a, b) -> a.digest().compareTo(b.digest()));
      out.printf("%-71s %10s %s%n", "DIGEST", "SIZE", "LABELS");
      for (ContentInfo i : infos) {
        String labels =
            new TreeMap<>(i.labels()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        out.printf("%-71s %10s %s%n", i.digest(), Units.bytes(i.size()), labels);
      }
      return 0;
    }
  }

  /** {@code hoist content verify}. */
  static final class Verify extends Command {

    Verify() {
      super("content verify", "Re-hash every blob; exit 1 if any is damaged.", List.of(StoreOption.STORE));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      args.none();
      int damaged = 0;
      int checked = 0;
      LocalContentStore cs = LocalContentStore.open(StoreOption.resolve(args));
      List<ContentInfo> infos = new ArrayList<>();
      cs.walk(i -> true, infos::add);
      for (ContentInfo info : infos) {
        checked++;
        String problem = check(cs, info);
        if (problem != null) {
          damaged++;
          err.println("hoist: damaged " + info.digest() + ": " + problem);
        }
      }
      out.println(checked + " blobs checked, " + damaged + " damaged");
      return damaged == 0 ? 0 : 1;
    }

    /** Null when the blob hashes to its name and has its recorded size, else what is wrong. */
    static String check(LocalContentStore cs, ContentInfo info) {
      Descriptor desc = Descriptor.of("application/octet-stream", info.digest(), info.size());
      Digester d = Digester.of(info.digest().algorithm());
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      try (SeekableByteChannel ch = cs.open(desc)) {
        while (ch.read(buf) >= 0) {
          buf.flip();
          d.update(buf);
          buf.clear();
        }
      } catch (IOException | RuntimeException e) {
        return "unreadable: " + e.getMessage();
      }
      Digest actual = d.digest();
      if (!actual.equals(info.digest())) {
        return "content hashes to " + actual;
      }
      if (d.count() != info.size()) {
        return "size " + d.count() + ", recorded " + info.size();
      }
      return null;
    }
  }
}
