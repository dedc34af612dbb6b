/**
 * Applying layers, as containerd's {@code diff} package and the OCI image spec's layer identity: an
 * {@link dev.hoist.diff.Applier} writes one layer into a snapshot's mounts and returns the layer's
 * uncompressed digest (its DiffID); {@link dev.hoist.diff.ChainIds} names the stack of layers up to
 * each one.
 */
package dev.hoist.diff;
