/** {@code LocalContentStore}: Hoist's filesystem content and image store (an OCI image layout). */
module dev.hoist.content.local {
  requires transitive dev.hoist.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.hoist.content.local;

  opens dev.hoist.content.local.internal to
      com.fasterxml.jackson.databind;
}
