package dev.hoist.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.cli.progress.Units;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.images.ImageCheck;
import dev.hoist.images.Images;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.platforms.Platforms;
import dev.hoist.reference.DockerReferences;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.Platform;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code hoist images ls|check|rm}: the images recorded in the store. */
final class ImagesCommand {

  private ImagesCommand() {}

  /** What {@code images ls} shows of one image; {@code problem} non-null when it is broken. */
  record Row(Image image, Long size, List<Platform> platforms, String problem) {

    /**
     * Reads what it can; never throws for one image's content (a missing or bad blob is a problem).
     */
    static Row of(LocalContentStore cs, Image image) {
      Descriptor target = image.target();
      try {
        if (!cs.exists(target.digest())) {
          return new Row(
              image,
              null,
              List.of(),
              "content " + target.digest() + " (the image's root) is missing");
        }
        List<Platform> ps = Images.platforms(cs, target);
        Long size;
        try {
          // As ctr: the size for this machine's platform; none when it was not fetched.
          size = Images.size(cs, target, Platforms.defaultMatcher());
        } catch (NotFoundException e) {
          size = null;
        }
        return new Row(image, size, ps, null);
      } catch (HoistException | java.io.IOException e) {
        return new Row(image, null, List.of(), HoistCli.message(e));
      }
    }
  }

  static String type(String mediaType) {
    if (MediaTypes.isIndex(mediaType)) {
      return "index";
    }
    return MediaTypes.isManifest(mediaType) ? "manifest" : mediaType;
  }

  /** {@code hoist images ls}. */
  static final class Ls extends Command {

    Ls() {
      super(
          "images ls",
          "List images: name, type, digest, size (this machine's platform), platforms, labels; exit 1 if one is broken.",
          List.of(
              StoreOption.STORE, Output.QUIET, Output.QUIET_LONG, Output.NO_TRUNC, Output.FORMAT));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      args.none();
      boolean json = Output.json(args);
      Optional<LocalContentStore> store = ReadOnlyStore.open(args);
      List<Row> rows = new ArrayList<>();
      if (store.isPresent()) {
        for (Image image : store.get().list()) {
          rows.add(Row.of(store.get(), image));
        }
      }
      boolean broken = rows.stream().anyMatch(r -> r.problem() != null);
      if (json) {
        ObjectNode doc = Output.object();
        ArrayNode list = doc.putArray("images");
        for (Row r : rows) {
          ObjectNode n = list.addObject();
          n.put("name", r.image().name());
          n.put("mediaType", r.image().target().mediaType());
          n.put("digest", r.image().target().digest().toString());
          if (r.size() == null) {
            n.putNull("size");
          } else {
            n.put("size", r.size());
          }
          ArrayNode ps = n.putArray("platforms");
          r.platforms().forEach(p -> ps.add(Platforms.format(p)));
          n.set("labels", Output.labelsNode(r.image().labels()));
          n.put(
              "createdAt", r.image().createdAt() == null ? null : r.image().createdAt().toString());
          n.put(
              "updatedAt", r.image().updatedAt() == null ? null : r.image().updatedAt().toString());
          n.put("problem", r.problem());
        }
        Output.print(out, doc);
      } else if (Output.quiet(args)) {
        rows.forEach(r -> out.println(r.image().name()));
      } else {
        boolean full = args.has(Output.NO_TRUNC.name());
        Output.Table t = new Output.Table("REF", "TYPE", "DIGEST", "SIZE", "PLATFORMS", "LABELS");
        for (Row r : rows) {
          String platforms =
              r.problem() != null
                  ? "broken: " + r.problem()
                  : r.platforms().isEmpty()
                      ? "-"
                      : r.platforms().stream()
                          .map(Platforms::format)
                          .collect(Collectors.joining(","));
          t.add(
              r.image().name(),
              type(r.image().target().mediaType()),
              Output.digest(r.image().target().digest(), full),
              r.size() == null ? "-" : Units.bytes(r.size()),
              platforms,
              Output.labels(r.image().labels()));
        }
        t.print(out);
      }
      for (Row r : rows) {
        if (r.problem() != null) {
          err.println("hoist: image " + r.image().name() + ": " + r.problem());
        }
      }
      return broken ? 1 : 0;
    }
  }

  /** {@code hoist images check [REF...]}. */
  static final class Check extends Command {

    private static final Args.Option PLATFORM =
        Args.Option.value(
            "--platform", "P", "Platform to check (default: what this machine runs, as ctr).");

    Check() {
      super(
          "images check",
          "Say per image whether its content for a platform is complete; exit 1 if one is not.",
          "[REF...]",
          "Images to check (default: all).",
          List.of(StoreOption.STORE, PLATFORM, Output.NO_TRUNC, Output.FORMAT));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      boolean json = Output.json(args);
      String platform = args.value(PLATFORM.name(), null);
      MatchComparer matcher =
          platform == null ? Platforms.defaultMatcher() : Platforms.only(Platforms.parse(platform));
      Optional<LocalContentStore> store = ReadOnlyStore.open(args);
      List<Image> images = new ArrayList<>();
      int status = 0;
      if (args.positionals().isEmpty()) {
        if (store.isPresent()) {
          images.addAll(store.get().list());
        }
      } else {
        for (String name : args.positionals()) {
          Optional<Image> found = store.isPresent() ? find(store.get(), name) : Optional.empty();
          if (found.isEmpty()) {
            err.println("hoist: image " + name + ": not found");
            status = 1;
          } else {
            images.add(found.get());
          }
        }
      }
      boolean full = args.has(Output.NO_TRUNC.name());
      ObjectNode doc = Output.object();
      ArrayNode list = doc.putArray("images");
      Output.Table t = new Output.Table("REF", "TYPE", "DIGEST", "STATUS", "SIZE");
      List<String> details = new ArrayList<>();
      for (Image image : images) {
        ImageCheck c;
        String problem = null;
        try {
          c = Images.check(store.get(), image.target(), matcher);
        } catch (HoistException e) {
          c = new ImageCheck(false, List.of(image.target()), List.of(), List.of(image.target()));
          problem = HoistCli.message(e);
        }
        String state = !c.available() ? "unavailable" : c.complete() ? "complete" : "incomplete";
        if (!c.complete()) {
          status = 1;
        }
        ObjectNode n = list.addObject();
        n.put("name", image.name());
        n.put("mediaType", image.target().mediaType());
        n.put("digest", image.target().digest().toString());
        n.put("status", state);
        n.put("present", c.present().size());
        n.put("required", c.required().size());
        n.put("presentSize", c.presentSize());
        n.put("requiredSize", c.requiredSize());
        ArrayNode missing = n.putArray("missing");
        for (Descriptor d : c.missing()) {
          missing
              .addObject()
              .put("digest", d.digest().toString())
              .put("mediaType", d.mediaType())
              .put("size", d.size());
        }
        n.put("problem", problem);
        String count =
            c.available() ? " (" + c.present().size() + "/" + c.required().size() + ")" : "";
        t.add(
            image.name(),
            type(image.target().mediaType()),
            Output.digest(image.target().digest(), full),
            state + count,
            Units.bytes(c.presentSize()) + "/" + Units.bytes(c.requiredSize()));
        for (Descriptor d : c.missing()) {
          details.add(
              "  "
                  + image.name()
                  + ": missing "
                  + d.digest()
                  + " "
                  + type(d.mediaType())
                  + " "
                  + Units.bytes(d.size()));
        }
        if (problem != null) {
          details.add("  " + image.name() + ": " + problem);
        }
      }
      if (json) {
        doc.put("platform", matcher.toString());
        Output.print(out, doc);
      } else {
        t.print(out);
        details.forEach(out::println);
      }
      return status;
    }
  }

  /** {@code hoist images rm NAME...}. */
  static final class Rm extends Command {

    Rm() {
      super(
          "images rm",
          "Remove image records (their content stays until 'hoist gc').",
          "NAME...",
          "Image names as 'images ls' shows them (short forms like alpine:3.20 are normalised).",
          List.of(StoreOption.STORE));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      if (args.positionals().isEmpty()) {
        throw new Args.UsageException("missing NAME (an image name)");
      }
      LocalContentStore cs = LocalContentStore.openExisting(StoreOption.resolve(args));
      int status = 0;
      for (String name : args.positionals()) {
        Optional<Image> found = find(cs, name);
        if (found.isEmpty()) {
          err.println("hoist: image " + name + ": not found");
          status = 1;
          continue;
        }
        try {
          cs.deleteImage(found.get().name());
          out.println(found.get().name());
        } catch (NotFoundException e) {
          err.println("hoist: image " + name + ": not found");
          status = 1;
        }
      }
      return status;
    }
  }

  /**
   * The image called {@code name} as given, else as normalised ({@code alpine} →
   * docker.io/library/alpine:latest).
   */
  static Optional<Image> find(LocalContentStore cs, String name) throws java.io.IOException {
    Optional<Image> exact = cs.get(name);
    if (exact.isPresent()) {
      return exact;
    }
    String normalized;
    try {
      normalized = DockerReferences.normalize(name).toString();
    } catch (HoistException e) {
      return Optional.empty();
    }
    return cs.get(normalized);
  }
}
