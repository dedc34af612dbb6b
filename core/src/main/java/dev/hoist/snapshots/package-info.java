/**
 * Snapshots, as containerd's {@code snapshots} package: named filesystem trees stacked on a parent.
 * A pull applies each image layer into an <em>active</em> snapshot prepared on the previous layer's
 * snapshot and <em>commits</em> it under the layer's chain ID, so images that share base layers
 * share their snapshots.
 *
 * <pre>{@code
 * List<Mount> mounts = snapshotter.prepare("extract-1 sha256:…", parentChainId, Map.of());
 * Digest diffId = applier.apply(layer, contentStore, mounts);   // dev.hoist.diff.Applier
 * snapshotter.commit(chainId.toString(), "extract-1 sha256:…", Map.of());
 * }</pre>
 *
 * <p>{@link dev.hoist.snapshots.InMemorySnapshotter} keeps metadata only, for tests of code that
 * drives a snapshotter; the module {@code hoist-unpack} holds one that keeps files.
 */
package dev.hoist.snapshots;
