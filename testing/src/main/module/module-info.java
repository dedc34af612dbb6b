/**
 * The contract suites for Hoist's store interfaces: JUnit 5 test interfaces that a user's test
 * class implements to run every case against its own {@code ContentStore}, {@code ImageStore} or
 * {@code Snapshotter}.
 */
module dev.hoist.testing {
  requires transitive dev.hoist.core;
  // A test class implementing a contract inherits JUnit's annotations and parameters.
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports dev.hoist.testing.content;
  exports dev.hoist.testing.images;
  exports dev.hoist.testing.snapshots;
}
