/**
 * Unpacking image layers onto a filesystem: the tar layer applier and the local snapshotters
 * ({@code OverlaySnapshotter}, one diff per layer, containerd's default; {@code LocalSnapshotter},
 * a full tree per layer).
 *
 * <pre>{@code
 * OverlaySnapshotter snapshots = OverlaySnapshotter.open(storeDir.resolve("snapshots/overlayfs"));
 * try (Client client = Client.builder().contentStore(store).snapshotter(snapshots)
 *     .applier(TarLayerApplier.create()).build()) {
 *   UnpackedImage pulled = client.pull("alpine:3.20", RemoteContext.builder().build());
 *   snapshots.export(pulled.chainId().toString(), Path.of("rootfs"));
 * }
 * }</pre>
 *
 * <p>Parameters are non-null unless their javadoc says otherwise.
 */
package dev.hoist.unpack;
