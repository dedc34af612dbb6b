/**
 * Layer application onto a filesystem ({@code TarApplier}, {@code TarLayerApplier}), the local
 * chain-ID snapshotters ({@code OverlaySnapshotter}, {@code LocalSnapshotter}) and root filesystems
 * ({@code Rootfs}).
 */
module dev.hoist.unpack {
  requires transitive dev.hoist.core;
  requires org.apache.commons.compress;
  requires com.github.luben.zstd_jni;
  requires org.slf4j;

  exports dev.hoist.unpack;
}
