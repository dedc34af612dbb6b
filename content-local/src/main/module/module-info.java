/** {@code LocalContentStore}: Hoist's filesystem content and image store (an OCI image layout). */
module dev.hoist.content.local {
  requires transitive dev.hoist.core;
  requires org.slf4j;

  exports dev.hoist.content.local;
}
