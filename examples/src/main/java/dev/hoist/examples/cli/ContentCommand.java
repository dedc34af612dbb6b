package dev.hoist.examples.cli;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.examples.cli.progress.Units;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hoist content ls|verify}: the blobs in the store. */
@Command(
    name = "content",
    description = "List or verify the blobs in the store.",
    subcommands = {ContentCommand.Ls.class, ContentCommand.Verify.class})
final class ContentCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "ls", description = "List blobs: digest, size, labels.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      {
        LocalContentStore cs = LocalContentStore.open(store.resolve());
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
      }
      return 0;
    }
  }

  @Command(name = "verify", description = "Re-hash every blob; exit 1 if any is damaged.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int damaged = 0;
      int checked = 0;
      {
        LocalContentStore cs = LocalContentStore.open(store.resolve());
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
