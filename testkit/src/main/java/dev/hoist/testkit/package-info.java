/**
 * hoist-testkit: an OCI distribution registry that runs inside a test's JVM.
 *
 * <p>{@link dev.hoist.testkit.TestRegistry} serves the pull and push API on a loopback port; {@link
 * dev.hoist.testkit.GeneratedImages} builds images to push into it (single- or multi-platform, OCI
 * or Docker media types, generated layers of any size); {@link dev.hoist.testkit.Faults} scripts
 * misbehaviour per path and per request count; {@link dev.hoist.testkit.RequestLog} records what
 * the client did; {@link dev.hoist.testkit.TestRegistryExtension} manages a registry's life in
 * JUnit 5.
 *
 * <pre>{@code
 * try (TestRegistry registry = TestRegistry.builder().bearerAuth("user", "secret").start()) {
 *   registry.push("team/app:1", GeneratedImages.random(ImageSpec.builder().layers(2, 10 << 20).build()));
 *   registry.faults().add(FaultRule.on("GET", "/blobs/").first(1).inject(Fault.dropAfter(4096)));
 *   // pull registry.reference("team/app:1") with the code under test, then assert on
 *   // registry.requestLog().matching("GET", "/blobs/")
 * }
 * }</pre>
 */
package dev.hoist.testkit;
