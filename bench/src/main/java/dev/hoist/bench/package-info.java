/**
 * The benchmark harness behind {@code bench/run}: {@link dev.hoist.bench.Push} pushes the standard
 * images to a registry, {@link dev.hoist.bench.WarmFetch} fetches one repeatedly with Hoist in one
 * JVM, {@link dev.hoist.bench.JibPull} pulls one with Jib core's {@code RegistryClient}. Not a
 * library: nothing here is published.
 */
package dev.hoist.bench;
