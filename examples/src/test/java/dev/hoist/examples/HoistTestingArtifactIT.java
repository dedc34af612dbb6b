package dev.hoist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A user's contract test ({@link AuditingContentStoreTest}) runs with only what the published
 * {@code hoist-testing} POM brings: the class path of the child JVM is hoist-testing's jar plus its
 * runtime closure as Maven resolved it ({@code testing/target/hoist-testing-classpath.txt}), the
 * user's own classes and store, and the JUnit engine a build tool supplies. JUnit's API and AssertJ
 * come from hoist-testing's POM alone; without AssertJ the same run fails with {@code
 * NoClassDefFoundError}, which is what users of core's old test-jar saw.
 */
class HoistTestingArtifactIT {

  /** What a build tool (Surefire, Gradle) puts on a test class path to run JUnit Jupiter. */
  private static final Pattern ENGINE_JAR =
      Pattern.compile("junit-(platform-launcher|platform-engine|jupiter-engine)-[0-9].*\\.jar");

  /** The user's own dependency: the store their store keeps its blobs in. */
  private static final Pattern USER_JAR = Pattern.compile("hoist-content-local-[0-9].*\\.jar");

  /** RunTestClass's last line: how many tests were found, succeeded and failed. */
  private static final Pattern SUMMARY =
      Pattern.compile("found (\\d+) succeeded (\\d+) failed (\\d+)");

  private static final String TEST_CLASS = "dev.hoist.examples.AuditingContentStoreTest";

  @Test
  void contractTestRunsOnHoistTestingsDependenciesAlone() throws Exception {
    List<String> cp = new ArrayList<>(hoistTestingAndItsClosure());
    cp.addAll(usersAndEngineEntries());

    String out = run(cp);

    Matcher m = SUMMARY.matcher(out);
    assertThat(m.find()).as("a run summary in: %s", out).isTrue();
    int found = Integer.parseInt(m.group(1));
    assertThat(found).as("contract cases run").isGreaterThanOrEqualTo(25);
    assertThat(m.group(2)).as("succeeded").isEqualTo(m.group(1));
    assertThat(m.group(3)).as("failed").isEqualTo("0");
  }

  @Test
  void withoutTheAssertJThePomBringsTheContractFailsToLink() throws Exception {
    List<String> cp = new ArrayList<>(hoistTestingAndItsClosure());
    assertThat(cp).as("hoist-testing's closure").anyMatch(e -> e.contains("assertj-core"));
    cp.removeIf(e -> e.contains("assertj-core"));
    cp.addAll(usersAndEngineEntries());

    String out = run(cp);

    Matcher m = SUMMARY.matcher(out);
    assertThat(m.find()).as("a run summary in: %s", out).isTrue();
    assertThat(m.group(3)).as("failed").isEqualTo(m.group(1));
    assertThat(out).contains("NoClassDefFoundError: org/assertj/core/api/Assertions");
  }

  /** hoist-testing's jar and the class path Maven resolved from its POM (runtime scope). */
  private static List<String> hoistTestingAndItsClosure() throws IOException {
    String jar =
        entries().stream()
            .filter(e -> Path.of(e).getFileName().toString().startsWith("hoist-testing-"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no hoist-testing jar on " + entries()));
    Path file = Path.of(jar).getParent().resolve("hoist-testing-classpath.txt");
    String closure = Files.readString(file, StandardCharsets.UTF_8).trim();
    List<String> cp = new ArrayList<>();
    cp.add(jar);
    cp.addAll(Arrays.asList(closure.split(File.pathSeparator)));
    assertThat(cp)
        .as("resolved from hoist-testing's POM (%s)", file)
        .anyMatch(e -> e.contains("junit-jupiter-api"))
        .noneMatch(e -> e.contains("junit-jupiter-engine"));
    return cp;
  }

  /**
   * The user's classes, their store's dependency and the JUnit engine; no JUnit API, no AssertJ.
   */
  private static List<String> usersAndEngineEntries() {
    List<String> cp = new ArrayList<>();
    for (String e : entries()) {
      String name = Path.of(e).getFileName().toString();
      boolean own =
          name.startsWith("hoist-examples")
              || Files.isDirectory(Path.of(e)) && e.contains("examples");
      if (own || USER_JAR.matcher(name).matches() || ENGINE_JAR.matcher(name).matches()) {
        cp.add(e);
      }
    }
    assertThat(cp)
        .as("user and engine entries")
        .anyMatch(e -> e.endsWith("test-classes"))
        .anyMatch(e -> e.contains("junit-jupiter-engine"))
        .noneMatch(e -> e.contains("assertj") || e.contains("junit-jupiter-api"));
    return cp;
  }

  private static List<String> entries() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .collect(Collectors.toList());
  }

  private static String run(List<String> classPath) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, classPath));
    cmd.add(RunTestClass.class.getName());
    cmd.add(TEST_CLASS);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished: %s", out).isTrue();
    return out;
  }
}
