package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archives ({@code target/hoist-VERSION.tar.gz} and {@code .zip}) installed the
 * way the README says: unpacked anywhere, {@code bin/hoist} symlinked onto PATH, and run by name.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DistributionIT {

  @TempDir Path tmp;

  @Test
  void theJarGrantsNativeAccessSoZstdLayersUnpackWithoutAWarningOnJava24AndLater()
      throws Exception {
    try (JarFile jar = new JarFile(Path.of("target", "hoist.jar").toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access"))
          .isEqualTo("ALL-UNNAMED");
    }
  }

  @Test
  void tarballUnpackedAnywhereRunsFromASymlinkOnPath() throws Exception {
    Path opt = Files.createDirectories(tmp.resolve("opt"));
    exec(List.of("tar", "xzf", archive(".tar.gz").toString(), "-C", opt.toString()));
    Path installed = single(opt);
    assertThat(installed.getFileName().toString()).startsWith("hoist-");
    assertThat(installed.resolve("bin/hoist")).isExecutable();
    assertThat(installed.resolve("lib/hoist.jar")).isRegularFile();
    assertThat(installed.resolve("completion/hoist.bash")).isRegularFile();
    assertThat(installed.resolve("completion/_hoist")).isRegularFile();
    assertThat(installed.resolve("README.md")).isRegularFile();
    Path bin = Files.createDirectories(tmp.resolve("home/bin"));
    Files.createSymbolicLink(bin.resolve("hoist"), installed.resolve("bin/hoist"));
    // Run by name, as a user does: a shell looks "hoist" up on PATH and finds the symlink.
    Path byName = Files.writeString(tmp.resolve("by-name"), "#!/bin/sh\nexec hoist \"$@\"\n");
    assertThat(byName.toFile().setExecutable(true)).isTrue();
    Launcher hoist =
        Launcher.at(byName, tmp.resolve("home")).with("PATH", bin + ":" + System.getenv("PATH"));

    LauncherRun version = hoist.run("--version");
    LauncherRun demo =
        hoist.run(
            "demo",
            "--progress",
            "none",
            "--layer-size",
            "4096",
            "--store",
            tmp.resolve("store").toString());

    assertThat(version.status()).as("%s", version).isZero();
    String expected = installed.getFileName().toString().substring("hoist-".length());
    assertThat(version.out()).isEqualTo("hoist " + expected + "\n");
    assertThat(demo.status()).as("%s", demo).isZero();
    assertThat(demo.out()).contains("fetched ").contains("16 blobs: 16 downloaded");
  }

  @Test
  void zipUnpacksWithAnExecutableLauncherThatFindsItsJar() throws Exception {
    Path opt = Files.createDirectories(tmp.resolve("zip"));
    exec(List.of("unzip", "-q", archive(".zip").toString(), "-d", opt.toString()));
    Path launcher = single(opt).resolve("bin/hoist");
    assertThat(launcher).isExecutable();

    LauncherRun version = Launcher.at(launcher, tmp.resolve("home")).run("--version");

    assertThat(version.status()).as("%s", version).isZero();
    assertThat(version.out()).startsWith("hoist ");
  }

  @Test
  void shippedCompletionScriptsAreWhatTheCommandPrintsAndBashCompletesWithThem() throws Exception {
    Path opt = Files.createDirectories(tmp.resolve("opt"));
    exec(List.of("tar", "xzf", archive(".tar.gz").toString(), "-C", opt.toString()));
    Path installed = single(opt);
    Launcher hoist = Launcher.at(installed.resolve("bin/hoist"), tmp.resolve("home"));

    assertThat(hoist.run("completion", "bash").out())
        .isEqualTo(Files.readString(installed.resolve("completion/hoist.bash")));
    assertThat(hoist.run("completion", "zsh").out())
        .isEqualTo(Files.readString(installed.resolve("completion/_hoist")));
    String script =
        "source '"
            + installed.resolve("completion/hoist.bash")
            + "'\n"
            + "t() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _hoist; echo \"${COMPREPLY[*]}\"; }\n"
            + "t hoist fe; t hoist content v; t hoist fetch --progr; t hoist fetch --progress pl; t hoist fetch --format ''\n";
    assertThat(exec(List.of("bash", "-c", script)).lines().toList())
        .containsExactly("fetch", "verify", "--progress", "plain", "text json");
  }

  @Test
  void warningsAreOneLineEachAndDebugKeepsTheFullLog() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port =
          s.getLocalPort(); // closed again: the fetch fails after the warning, at once (no retries)
    }
    String ref = "127.0.0.1:" + port + "/x/y:1";
    Launcher hoist = Launcher.inTarget(tmp.resolve("home"));

    LauncherRun run =
        hoist.run(
            "fetch",
            "--skip-verify",
            "--retry-for",
            "0s",
            "--progress",
            "none",
            "--store",
            tmp.resolve("s").toString(),
            ref);
    LauncherRun debug =
        hoist.run(
            "fetch",
            "--debug",
            "--skip-verify",
            "--retry-for",
            "0s",
            "--progress",
            "none",
            "--store",
            tmp.resolve("s").toString(),
            ref);

    assertThat(run.status()).as("%s", run).isEqualTo(1);
    List<String> err = run.err().lines().toList();
    assertThat(err).hasSize(2);
    assertThat(err.get(0))
        .isEqualTo(
            "hoist: warning: host=127.0.0.1:"
                + port
                + " skip_verify is set: TLS certificates of this host are not verified");
    assertThat(err.get(1))
        .startsWith("hoist: ")
        .doesNotStartWith("hoist: warning:")
        .contains("127.0.0.1:" + port);
    assertThat(debug.err())
        .contains(
            "WARN dev.hoist.remotes.docker.config.internal.ConfiguredHosts - host=127.0.0.1:"
                + port)
        .contains("at dev.hoist.");
  }

  @Test
  void theLaunchersRequestsCarryTheJarsVersionAsUserAgent() throws Exception {
    String version = jarVersion();
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push(
          "team/ua:1",
          GeneratedImages.random(ImageSpec.builder().layers(1, 1_000).seed(3).build()));
      Launcher hoist = Launcher.inTarget(tmp.resolve("home"));

      LauncherRun run =
          hoist.run(
              "fetch",
              "--progress",
              "none",
              "--store",
              tmp.resolve("ua-store").toString(),
              registry.reference("team/ua:1"));

      assertThat(run.status()).as("%s", run).isZero();
      assertThat(registry.requestLog().entries())
          .isNotEmpty()
          .allSatisfy(
              r -> assertThat(r.headers().get("User-agent")).containsExactly("hoist/" + version));
    }
  }

  /** The archive of this build: its version is the one in hoist.jar's manifest. */
  private static Path archive(String suffix) throws IOException {
    String version = jarVersion();
    Path archive = Path.of("target", "hoist-" + version + suffix).toAbsolutePath();
    assertThat(archive).as("made by package").isRegularFile();
    return archive;
  }

  private static Path single(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }

  private static String exec(List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s finishes", command).isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    return out;
  }

  /** The version in hoist.jar's manifest. */
  private static String jarVersion() throws IOException {
    try (JarFile jar = new JarFile(Path.of("target", "hoist.jar").toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }
}
