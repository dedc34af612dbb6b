package dev.hoist.content.local;

import dev.hoist.content.ContentWriter;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A separate JVM for the cross-process tests (not a test). Talks over stdout, one line per event.
 *
 * <ul>
 *   <li>{@code write <root> <ref> <size> <seed> <stopAfter>}: writes the first {@code stopAfter}
 *       bytes of {@link ChildProcesses#content}, prints {@code WROTE <n>} and waits to be killed;
 *   <li>{@code writeat <root> <ref> <size> <seed> <prefix> <from> <to>}: writes {@code [from, to)}
 *       of that content in 256 KiB pieces, last piece first, then its first {@code prefix} bytes in
 *       order, prints {@code WROTE} and waits to be killed;
 *   <li>{@code commit <root> <ref> <size> <seed>}: writes and commits that content, prints {@code
 *       COMMITTED <digest>};
 *   <li>{@code hold <root> <ref>}: opens a writer, prints {@code HELD}, and closes it once stdin
 *       reaches end of file;
 *   <li>{@code try <root> <ref>}: prints {@code UNAVAILABLE} or {@code ACQUIRED};
 *   <li>{@code images <root> <prefix> <n>}: creates images {@code <prefix>0..n-1}.
 * </ul>
 */
public final class IngestChild {

  private IngestChild() {}

  public static void main(String[] args) throws IOException {
    LocalContentStore store = LocalContentStore.open(Path.of(args[1]));
    String ref = args[2];
    switch (args[0]) {
      case "write":
        {
          int size = Integer.parseInt(args[3]);
          byte[] data = ChildProcesses.content(size, Long.parseLong(args[4]));
          int stopAfter = Integer.parseInt(args[5]);
          ContentWriter w = store.writer(ref, ChildProcesses.layer(data));
          int chunk = 64 * 1024;
          for (int off = 0; off < stopAfter; off += chunk) {
            w.write(ByteBuffer.wrap(data, off, Math.min(chunk, stopAfter - off)));
          }
          System.out.println("WROTE " + w.status().offset());
          System.out.flush();
          drain(System.in); // the parent kills us while we wait here; the writer is never closed
          Runtime.getRuntime().halt(3);
          break;
        }
      case "writeat":
        {
          byte[] data = ChildProcesses.content(Integer.parseInt(args[3]), Long.parseLong(args[4]));
          int prefix = Integer.parseInt(args[5]);
          int from = Integer.parseInt(args[6]);
          int to = Integer.parseInt(args[7]);
          ContentWriter w = store.writer(ref, ChildProcesses.layer(data));
          // The local writer's methods lock the writer itself; holding that lock throughout keeps
          // every background record (data fsync, then file) waiting, so the kill always comes
          // before one finished: only what the write calls recorded themselves can survive.
          synchronized (w) {
            int piece = 256 * 1024;
            for (int end = to; end > from; end -= piece) {
              int start = Math.max(from, end - piece);
              w.writeAt(start, ByteBuffer.wrap(data, start, end - start));
            }
            w.write(ByteBuffer.wrap(data, 0, prefix));
            System.out.println("WROTE");
            System.out.flush();
            drain(System.in); // killed here: no close, so no foreground record either
          }
          Runtime.getRuntime().halt(3);
          break;
        }
      case "commit":
        {
          byte[] data = ChildProcesses.content(Integer.parseInt(args[3]), Long.parseLong(args[4]));
          Descriptor desc = ChildProcesses.layer(data);
          try (ContentWriter w = store.writer(ref, desc)) {
            w.write(ByteBuffer.wrap(data));
            w.commit(data.length, desc.digest(), java.util.Map.of("by", "child"));
          }
          System.out.println("COMMITTED " + desc.digest());
          break;
        }
      case "hold":
        {
          try (ContentWriter w = store.writer(ref, ChildProcesses.layer(new byte[] {1}))) {
            System.out.println("HELD " + w.status().ref());
            System.out.flush();
            drain(System.in);
          }
          System.out.println("RELEASED");
          break;
        }
      case "try":
        {
          try (ContentWriter w = store.writer(ref, ChildProcesses.layer(new byte[] {1}))) {
            System.out.println(w.isOpen() ? "ACQUIRED" : "CLOSED");
          } catch (UnavailableException e) {
            System.out.println("UNAVAILABLE " + e.getMessage());
          }
          break;
        }
      case "gcshared":
        {
          // Holds the store's garbage-collection lock shared, as a fetch does, until stdin ends.
          try (dev.hoist.gc.CollectionLock.Hold hold = store.shared()) {
            System.out.println("HELD");
            System.out.flush();
            drain(System.in);
          }
          System.out.println("RELEASED");
          break;
        }
      case "images":
        {
          // ref is a name prefix here; args[3] the count.
          int n = Integer.parseInt(args[3]);
          System.out.println("READY");
          System.out.flush();
          for (int i = 0; i < n; i++) {
            store.create(
                dev.hoist.images.Image.of(
                    ref + i,
                    ChildProcesses.layer(new byte[] {(byte) i})
                        .withMediaType(dev.hoist.spec.MediaTypes.OCI_MANIFEST)));
          }
          System.out.println("CREATED " + n);
          break;
        }
      default:
        throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.out.flush();
  }

  private static void drain(InputStream in) throws IOException {
    while (in.read() >= 0) {
      // wait for end of file
    }
  }
}
