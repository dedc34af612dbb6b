package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code hoist} launcher script ({@code target/hoist}, beside hoist.jar): it runs the command
 * line, records an AppCDS archive on the first successful fetch and maps it on later runs, and no
 * state of the archive (missing, damaged, foreign, unwritable, disabled) changes what a run prints
 * or returns. Runs the offline {@code hoist demo} (in-process registry) as the fetch.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LauncherIT {

  /**
   * The -Xlog:class+load line of hoist's main class mapped from an archive: from the dynamic AppCDS
   * archive ("... (top)") on Java 17 to 24, from the AOT cache on Java 25 and later.
   */
  private static final String FROM_ARCHIVE = "dev.hoist.cli.HoistCli source: shared objects file";

  /** The first Java release whose launcher records a JDK 25 AOT cache instead of AppCDS. */
  private static final int AOT_CACHE_RELEASE = 25;

  /** Every line {@code hoist demo --progress none} prints. */
  private static final Pattern DEMO_LINE = Pattern.compile("^(registry: |fetched |try: ).*");

  private static Path pristine;

  @TempDir Path tmp;

  private Launcher launcher;

  @BeforeEach
  void setUp() {
    launcher = Launcher.inTarget(tmp.resolve("home"));
  }

  @Test
  void runsTheCommandLineWithItsArgumentsAndExitStatus() throws Exception {
    assertThat(Files.isExecutable(launcher.script()))
        .as("package makes target/hoist executable")
        .isTrue();

    LauncherRun version = launcher.run("--version");
    assertThat(version.status()).as("%s", version).isZero();
    assertThat(version.out())
        .matches("hoist \\S+\\R")
        .as("the jar knows its version")
        .doesNotContain("dev");
    assertThat(version.err()).isEmpty();

    LauncherRun usage = launcher.run("no-such-command");
    assertThat(usage.status()).as("%s", usage).isEqualTo(2);
    assertThat(usage.err()).contains("'no-such-command'");

    Path store = tmp.resolve("a store with spaces");
    LauncherRun demo = demo(launcher, store);
    assertThat(demo.status()).as("%s", demo).isZero();
    assertThat(demo.out().lines()).allMatch(DEMO_LINE.asPredicate());
    assertThat(demo.err()).isEmpty();
    assertThat(demo.out()).contains("fetched ").contains("store: " + store);
    assertThat(store.resolve("index.json")).isRegularFile();

    LauncherRun failed = launcher.run("fetch", "--store", tmp.resolve("s").toString(), "Bad Ref!");
    assertThat(failed.status()).as("%s", failed).isEqualTo(1);
    assertThat(failed.err()).contains("hoist: invalid reference \"Bad Ref!\"");
  }

  @Test
  void findsItsJarThroughASymlinkAndNamesABadJavaHome() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path link = Files.createSymbolicLink(bin.resolve("hoist"), launcher.script());
    LauncherRun linked = Launcher.at(link, tmp.resolve("home")).run("--version");
    assertThat(linked.status()).as("%s", linked).isZero();
    assertThat(linked.out()).matches("hoist \\S+\\R");

    LauncherRun noJava =
        launcher.with("JAVA_HOME", tmp.resolve("no-jdk").toString()).run("--version");
    assertThat(noJava.status()).isEqualTo(127);
    assertThat(noJava.out()).isEmpty();
    assertThat(noJava.err()).contains("JAVA_HOME").contains(tmp.resolve("no-jdk").toString());
  }

  @Test
  void firstDemoRunRecordsAnArchiveThatLaterRunsMapUnchanged() throws Exception {
    Path log = tmp.resolve("class-load.log");
    Launcher logging =
        launcher.with(
            "HOIST_JAVA_OPTS", "-XX:+UseSerialGC -Xmx256m -Xlog:class+load=info:file=" + log);

    assertThat(logging.run("--version").status()).isZero();
    assertThat(logging.archiveFiles())
        .as("--version loads too little to be worth an archive")
        .isEmpty();
    LauncherRun failed = logging.run("fetch", "--store", tmp.resolve("s").toString(), "Bad Ref!");
    assertThat(failed.status()).isEqualTo(1);
    assertThat(logging.archiveFiles()).as("a failed fetch records none").isEmpty();

    LauncherRun first = demo(logging, tmp.resolve("store1"));
    assertThat(first.status()).as("%s", first).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(first.out().lines())
        .as("only the demo's lines; the dump's CDS warnings are off")
        .allMatch(DEMO_LINE.asPredicate());
    Path data = wholeArchive(logging);
    Object fileKey = Files.readAttributes(data, BasicFileAttributes.class).fileKey();
    long modified = Files.getLastModifiedTime(data).toMillis();

    Files.delete(log);
    LauncherRun second = logging.run("--version");
    assertThat(second.status()).as("%s", second).isZero();
    assertThat(second.out()).matches("hoist \\S+\\R");
    assertThat(Files.readString(log)).contains(FROM_ARCHIVE);

    LauncherRun third = demo(logging, tmp.resolve("store2"));
    assertThat(third.status()).as("%s", third).isZero();
    assertThat(wholeArchive(logging)).isEqualTo(data);
    assertThat(Files.readAttributes(data, BasicFileAttributes.class).fileKey()).isEqualTo(fileKey);
    assertThat(Files.getLastModifiedTime(data).toMillis()).isEqualTo(modified);
  }

  @Test
  void onJava25TheRunRecordingTheAotCachePrintsExactlyWhatTheCommandPrints() throws Exception {
    assumeTrue(
        Runtime.version().feature() >= AOT_CACHE_RELEASE,
        "the AOT cache path needs Java 25 (CI's second pass); this JVM is " + Runtime.version());
    LauncherRun plain = demo(launcher.with("HOIST_CDS", "0"), tmp.resolve("store-a"));
    assertThat(plain.status()).as("%s", plain).isZero();
    assertThat(launcher.archiveFiles()).isEmpty();

    LauncherRun recording = demo(launcher, tmp.resolve("store-b"));
    assertThat(recording.status()).as("%s", recording).isZero();
    wholeArchive(launcher);
    assertThat(recording.err()).isEmpty();
    assertThat(normalized(recording.out()))
        .as("the recording JVM's 'AOTConfiguration recorded' line is not on stdout")
        .isEqualTo(normalized(plain.out()));

    Path log = tmp.resolve("class-load.log");
    LauncherRun mapped =
        launcher.with("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log).run("--version");
    assertThat(mapped.status()).as("%s", mapped).isZero();
    assertThat(mapped.out()).matches("hoist \\S+\\R");
    assertThat(Files.readString(log))
        .as("hoist's classes come from the AOT cache, not a dynamic (top) archive")
        .contains(FROM_ARCHIVE + "\n")
        .doesNotContain(FROM_ARCHIVE + " (top)");
  }

  /** A demo run's stdout without what differs between runs: the registry port and the timing. */
  private static String normalized(String demoOut) {
    return demoOut
        .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")
        .replaceAll("\\(\\S+ \\S+ in [^)]*\\)", "(TIMING)")
        .replaceAll("store-[ab]", "STORE");
  }

  @Test
  void hoistCdsZeroNeitherRecordsNorMapsAnArchive() throws Exception {
    Launcher off = launcher.with("HOIST_CDS", "0");
    LauncherRun demo = demo(off, tmp.resolve("store1"));
    assertThat(demo.status()).as("%s", demo).isZero();
    assertThat(off.archiveDir()).doesNotExist();

    assertThat(demo(launcher, tmp.resolve("store2")).status()).isZero();
    wholeArchive(launcher);
    Path log = tmp.resolve("class-load.log");
    // JAVA_TOOL_OPTIONS reaches the JVM without being part of the launcher's options (its archive
    // key).
    LauncherRun version =
        off.with("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log).run("--version");
    assertThat(version.status()).as("%s", version).isZero();
    assertThat(Files.readString(log)).contains("hoist.cli.HoistCli").doesNotContain(FROM_ARCHIVE);
  }

  @Test
  void anUnusableCacheDirectoryIsSkippedSilently() throws Exception {
    Path notADirectory = Files.writeString(tmp.resolve("cache-is-a-file"), "x");
    Launcher blocked = launcher.with("XDG_CACHE_HOME", notADirectory.toString());
    LauncherRun demo = demo(blocked, tmp.resolve("store"));
    assertThat(demo.status()).as("%s", demo).isZero();
    assertThat(demo.out()).contains("fetched ");
    assertThat(demo.err()).isEmpty();
    assertThat(notADirectory).isRegularFile().hasContent("x");

    // XDG_CACHE_HOME must be absolute (XDG base directory spec); a relative one means $HOME/.cache.
    Launcher relative = launcher.with("XDG_CACHE_HOME", "relative");
    LauncherRun second = demo(relative, tmp.resolve("store2"));
    assertThat(second.status()).as("%s", second).isZero();
    assertThat(second.err()).isEmpty();
    assertThat(launcher.workDir().resolve("relative")).doesNotExist();
    wholeArchive(launcher);
  }

  @Test
  void concurrentFirstRunsLeaveOneWholeArchive() throws Exception {
    Launcher.Running a = launcher.start(demoArgs(tmp.resolve("store-a")));
    Launcher.Running b = launcher.start(demoArgs(tmp.resolve("store-b")));
    LauncherRun ra = a.await();
    LauncherRun rb = b.await();
    assertThat(ra.status()).as("%s", ra).isZero();
    assertThat(rb.status()).as("%s", rb).isZero();
    wholeArchive(launcher);
  }

  /** Ways the file behind the archive name can be wrong. */
  enum Damage {
    /** Random bytes, as many as the dump wrote. */
    GARBAGE_OF_THE_RECORDED_SIZE,
    /** 4 KiB of random bytes in the middle of an otherwise good archive. */
    BYTES_OVERWRITTEN_INSIDE,
    /** The first half only (mapped, a truncated archive crashes JDK 17 outright). */
    TRUNCATED,
    /** Nothing at all. */
    EMPTY,
    /** A good archive of another copy of hoist.jar, under this one's name and with its own size. */
    ANOTHER_JARS_ARCHIVE
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedOrForeignArchiveChangesNothingARunPrintsOrReturns(Damage damage) throws Exception {
    copyTree(pristine.resolve("hoist"), launcher.archiveDir());
    Path data = wholeArchive(launcher);
    long whole = Files.size(data);
    LauncherRun expected = launcher.with("HOIST_CDS", "0").run("--version");
    damage(damage, data);

    LauncherRun version = launcher.run("--version");
    assertThat(version).isEqualTo(expected);
    if (damage == Damage.TRUNCATED || damage == Damage.EMPTY) {
      assertThat(data).as("the damaged file is gone").doesNotExist();
      LauncherRun demo = demo(launcher, tmp.resolve("store"));
      assertThat(demo.status()).as("%s", demo).isZero();
      assertThat(demo.out()).contains("fetched ");
      assertThat(demo.err()).isEmpty();
      assertThat(Files.size(wholeArchive(launcher))).as("recorded afresh").isGreaterThan(whole / 2);
    }
  }

  /**
   * One archive recorded by a first run, copied into each damage case's cache (it saves a run
   * each).
   */
  @BeforeAll
  static void recordPristineArchive(@TempDir Path shared) throws Exception {
    Launcher l = Launcher.inTarget(shared.resolve("home"));
    LauncherRun demo = demo(l, shared.resolve("store"));
    assertThat(demo.status()).as("%s", demo).isZero();
    wholeArchive(l);
    pristine = shared.resolve("home").resolve(".cache");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(
            f,
            to.resolve(f.getFileName()),
            LinkOption.NOFOLLOW_LINKS,
            StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  private void damage(Damage damage, Path data) throws IOException, InterruptedException {
    long size = Files.size(data);
    Random random = new Random(42);
    switch (damage) {
      case GARBAGE_OF_THE_RECORDED_SIZE -> {
        byte[] garbage = new byte[(int) size];
        random.nextBytes(garbage);
        rewrite(data, garbage);
      }
      case BYTES_OVERWRITTEN_INSIDE -> {
        byte[] garbage = new byte[4096];
        random.nextBytes(garbage);
        data.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap(garbage), size / 2);
        }
      }
      case TRUNCATED -> {
        data.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
          ch.truncate(size / 2);
        }
      }
      case EMPTY -> rewrite(data, new byte[0]);
      case ANOTHER_JARS_ARCHIVE -> {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.copy(launcher.script(), other.resolve("hoist"));
        Files.copy(launcher.script().resolveSibling("hoist.jar"), other.resolve("hoist.jar"));
        Launcher otherLauncher = Launcher.at(other.resolve("hoist"), tmp.resolve("home"));
        List<String> before = launcher.archiveFiles();
        assertThat(demo(otherLauncher, tmp.resolve("store-other")).status()).isZero();
        Path foreign =
            otherLauncher.archiveFiles().stream()
                .filter(f -> f.endsWith(".data") && !before.contains(f))
                .map(launcher.archiveDir()::resolve)
                .findFirst()
                .orElseThrow();
        Path link = linkTo(data);
        String name = link.getFileName().toString().replaceFirst("\\.jsa$", "");
        Path replacement = link.resolveSibling(name + "-" + Files.size(foreign) + "-1.data");
        Files.delete(data);
        Files.copy(foreign, replacement, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(link);
        Files.createSymbolicLink(link, replacement.getFileName());
      }
    }
  }

  private static void rewrite(Path data, byte[] bytes) throws IOException {
    data.toFile().setWritable(true);
    Files.write(data, bytes);
  }

  private static LauncherRun demo(Launcher l, Path store) throws IOException, InterruptedException {
    return l.run(demoArgs(store));
  }

  private static String[] demoArgs(Path store) {
    return new String[] {
      "demo", "--store", store.toString(), "--progress", "none", "--layer-size", "1024"
    };
  }

  /** The link in the archive directory whose target is {@code data}. */
  private Path linkTo(Path data) throws IOException {
    for (String f : launcher.archiveFiles()) {
      Path p = launcher.archiveDir().resolve(f);
      if (Files.isSymbolicLink(p)
          && Files.readSymbolicLink(p).toString().equals(data.getFileName().toString())) {
        return p;
      }
    }
    throw new AssertionError("no link to " + data + " in " + launcher.archiveFiles());
  }

  /**
   * Asserts that the archive directory holds exactly one archive (a {@code .jsa} link to a {@code
   * .data} file whose size is the one in its name) and no temporary file; returns the data file.
   */
  private static Path wholeArchive(Launcher l) throws IOException {
    List<String> files = l.archiveFiles();
    assertThat(files).as("archive directory").hasSize(2);
    Path link = l.archiveDir().resolve(files.get(1));
    Path data = l.archiveDir().resolve(files.get(0));
    assertThat(link.getFileName().toString()).endsWith(".jsa");
    assertThat(Files.isSymbolicLink(link)).as("%s is a link", link).isTrue();
    assertThat(Files.readSymbolicLink(link)).isEqualTo(data.getFileName());
    String name = link.getFileName().toString().replaceFirst("\\.jsa$", "");
    assertThat(data.getFileName().toString()).matches(Pattern.quote(name) + "-\\d+-\\d+\\.data");
    String recorded = data.getFileName().toString().substring(name.length() + 1).split("-")[0];
    assertThat(Files.size(data)).isEqualTo(Long.parseLong(recorded)).isPositive();
    return data;
  }
}
