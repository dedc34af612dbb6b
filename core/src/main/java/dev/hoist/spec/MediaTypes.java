package dev.hoist.spec;

import java.util.Locale;

/**
 * Media types of the OCI image spec and Docker's image manifest schema 2 (and schema 1, to reject).
 */
public final class MediaTypes {

  /** An OCI image index: a list of manifests, usually one per platform. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** An OCI image manifest: one config and its layers. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** An OCI image configuration. */
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

  /** An uncompressed OCI layer tar. */
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";

  /** A gzip-compressed OCI layer tar. */
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  /** A zstd-compressed OCI layer tar. */
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

  /** An uncompressed OCI layer that registries need not serve (deprecated by the spec). */
  public static final String OCI_LAYER_NONDISTRIBUTABLE =
      "application/vnd.oci.image.layer.nondistributable.v1.tar";

  /** A gzip-compressed OCI layer that registries need not serve (deprecated by the spec). */
  public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

  /** A zstd-compressed OCI layer that registries need not serve (deprecated by the spec). */
  public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

  /** The OCI empty descriptor's content, {@code {}}, e.g. the config of an artifact. */
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  /** A Docker manifest list, schema 2: Docker's index. */
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** A Docker image manifest, schema 2. */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** A Docker image configuration. */
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  /** An uncompressed Docker layer tar. */
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";

  /** A gzip-compressed Docker layer tar. */
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** A zstd-compressed Docker layer tar. */
  public static final String DOCKER_LAYER_ZSTD =
      "application/vnd.docker.image.rootfs.diff.tar.zstd";

  /** A Docker foreign layer (e.g. a Windows base layer), served from its own URLs. */
  public static final String DOCKER_LAYER_FOREIGN =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  /** A Docker schema 1 manifest, unsigned; refused. */
  public static final String DOCKER_SCHEMA1_MANIFEST =
      "application/vnd.docker.distribution.manifest.v1+json";

  /** A Docker schema 1 manifest with a JWS signature; refused. */
  public static final String DOCKER_SCHEMA1_SIGNED_MANIFEST =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";

  private MediaTypes() {}

  /**
   * The media type without parameters, trimmed and in lower case ({@code
   * application/vnd.oci.image.index.v1+json; charset=utf-8} → {@code
   * application/vnd.oci.image.index.v1+json}); null stays null. The predicates below apply it, so a
   * {@code Content-Type} header value can be passed as it is.
   *
   * @param mediaType a media type, possibly with parameters; nullable
   * @return the bare media type, or null for null
   */
  public static String base(String mediaType) {
    if (mediaType == null) {
      return null;
    }
    int semicolon = mediaType.indexOf(';');
    String type = semicolon < 0 ? mediaType : mediaType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * An index or manifest list: its children are manifests.
   *
   * @param mediaType a media type, possibly with parameters; nullable
   * @return whether it is an OCI index or a Docker manifest list
   */
  public static boolean isIndex(String mediaType) {
    String t = base(mediaType);
    return OCI_INDEX.equals(t) || DOCKER_MANIFEST_LIST.equals(t);
  }

  /**
   * An image manifest: its children are a config and layers.
   *
   * @param mediaType a media type, possibly with parameters; nullable
   * @return whether it is an OCI or Docker schema 2 image manifest
   */
  public static boolean isManifest(String mediaType) {
    String t = base(mediaType);
    return OCI_MANIFEST.equals(t) || DOCKER_MANIFEST.equals(t);
  }

  /**
   * Anything fetched from {@code /manifests/} rather than {@code /blobs/}.
   *
   * @param mediaType a media type, possibly with parameters; nullable
   * @return whether it is an index, a manifest or a schema 1 manifest
   */
  public static boolean isManifestOrIndex(String mediaType) {
    return isIndex(mediaType) || isManifest(mediaType) || isSchema1(mediaType);
  }

  /**
   * An image configuration, OCI or Docker.
   *
   * @param mediaType a media type, possibly with parameters; nullable
   * @return whether it is an image configuration
   */
  public static boolean isConfig(String mediaType) {
    String t = base(mediaType);
    return OCI_CONFIG.equals(t) || DOCKER_CONFIG.equals(t);
  }

  /**
   * A filesystem layer, OCI or Docker, compressed or not, distributable or not.
   *
   * @param mediaType a media type, possibly with parameters; nullable
   * @return whether it is a layer
   */
  public static boolean isLayer(String mediaType) {
    String t = base(mediaType);
    return t != null
        && (t.startsWith("application/vnd.oci.image.layer.")
            || t.startsWith("application/vnd.docker.image.rootfs."));
  }

  /**
   * Docker schema 1, which Hoist recognises only to refuse with a clear message.
   *
   * @param mediaType a media type, possibly with parameters; nullable
   * @return whether it is a schema 1 manifest, signed or not
   */
  public static boolean isSchema1(String mediaType) {
    String t = base(mediaType);
    return DOCKER_SCHEMA1_MANIFEST.equals(t) || DOCKER_SCHEMA1_SIGNED_MANIFEST.equals(t);
  }

  /**
   * Layers that registries are not expected to serve (foreign / non-distributable).
   *
   * @param mediaType a media type, possibly with parameters; nullable
   * @return whether it is a foreign or non-distributable layer
   */
  public static boolean isNonDistributable(String mediaType) {
    String t = base(mediaType);
    return t != null
        && (t.startsWith("application/vnd.oci.image.layer.nondistributable.")
            || DOCKER_LAYER_FOREIGN.equals(t));
  }
}
