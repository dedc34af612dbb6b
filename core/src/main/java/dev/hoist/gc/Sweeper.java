package dev.hoist.gc;

import java.io.IOException;
import java.util.List;

/**
 * An extra sweep run by {@link GarbageCollector} under its exclusive lock, after the content sweep,
 * e.g. one that removes snapshots no {@link GcMarks#snapshots()} key references.
 */
@FunctionalInterface
public interface Sweeper {

  /**
   * Removes what {@code marks} does not reach (nothing when {@code dryRun}).
   *
   * @param marks what the images reach
   * @param dryRun true to report what would be removed without removing it
   * @return one line per thing removed (or that would be), for the report
   * @throws IOException when removal fails
   */
  List<String> sweep(GcMarks marks, boolean dryRun) throws IOException;
}
