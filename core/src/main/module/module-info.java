/**
 * Hoist's core: digests, references, OCI types, platforms, the content, handler and remote
 * interfaces, {@code Dispatch} and {@code Client}. Knows nothing of HTTP or files; the Docker
 * remote is found through {@link dev.hoist.remotes.ResolverProvider}.
 */
module dev.hoist.core {
  requires com.fasterxml.jackson.core;
  requires static com.fasterxml.jackson.annotation;
  requires org.slf4j;

  exports dev.hoist.client;
  exports dev.hoist.content;
  exports dev.hoist.diff;
  exports dev.hoist.digest;
  exports dev.hoist.errors;
  exports dev.hoist.gc;
  exports dev.hoist.images;
  exports dev.hoist.platforms;
  exports dev.hoist.reference;
  exports dev.hoist.remotes;
  exports dev.hoist.snapshots;
  exports dev.hoist.spec;
  // The JSON reader and writer every module shares; not API.
  exports dev.hoist.spec.internal to
      dev.hoist.content.local,
      dev.hoist.remotes.docker;

  uses dev.hoist.remotes.ResolverProvider;
}
