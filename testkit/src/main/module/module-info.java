/** {@code TestRegistry}: an embeddable OCI registry with fault injection, for tests and demos. */
module dev.hoist.testkit {
  requires transitive dev.hoist.core;
  requires jdk.httpserver;
  requires org.slf4j;
  // Only the JUnit extension needs JUnit; users of the registry alone do not.
  requires static org.junit.jupiter.api;

  exports dev.hoist.testkit;
}
