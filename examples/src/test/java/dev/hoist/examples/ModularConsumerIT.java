package dev.hoist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The published jars work for a modular application ({@code hoist-consumer}, module {@code
 * dev.hoist.consumer}) on the module path — the Docker resolver bound as a service, Jackson and
 * slf4j resolved from the descriptors without {@code --add-modules} — and for the same program on
 * the class path.
 */
class ModularConsumerIT {

  /** The jars a user's application would have: Hoist's, Jackson's and slf4j's API. */
  private static final Pattern RUNTIME_JAR =
      Pattern.compile(
          "(hoist-(core|content-local|remotes-docker|testkit|consumer)|jackson-[a-z-]+|slf4j-api)-[0-9].*\\.jar");

  private static final String MAIN = "dev.hoist.consumer.ModularFetch";

  @Test
  void runsAsANamedModuleWithTheDockerResolverBoundAsAService() throws Exception {
    String out = run("--module-path", runtimePath(), "--module", "dev.hoist.consumer/" + MAIN);

    assertThat(out)
        .contains("module dev.hoist.consumer")
        .contains("resolver module dev.hoist.remotes.docker")
        .containsPattern("fetched 127\\.0\\.0\\.1:\\d+/consumer/app:1\\.0 sha256:[0-9a-f]{64} \\d+")
        .contains("second fetch up to date true, present 5")
        .containsPattern("config linux/(amd64|arm64) \\d+ bytes")
        .contains("async cancelled true");
  }

  @Test
  void runsTheSameProgramOnTheClassPath() throws Exception {
    String out = run("-cp", runtimePath(), MAIN);

    assertThat(out).contains("module null").contains("resolver module absent").contains("fetched ");
  }

  private static String runtimePath() {
    List<String> jars =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> RUNTIME_JAR.matcher(Path.of(e).getFileName().toString()).matches())
            .collect(Collectors.toList());
    // Every module the consumer needs must be there as a jar (the reactor's packaged artifacts).
    assertThat(jars)
        .as("runtime jars on %s", System.getProperty("java.class.path"))
        .anyMatch(j -> j.contains("hoist-consumer"))
        .anyMatch(j -> j.contains("hoist-remotes-docker"))
        .anyMatch(j -> j.contains("jackson-databind"));
    return String.join(File.pathSeparator, jars);
  }

  private static String run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished: %s", out).isTrue();
    assertThat(p.exitValue()).as("exit status; output:%n%s", out).isZero();
    return out;
  }
}
