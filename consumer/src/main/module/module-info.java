/**
 * A modular application using Hoist. It requires only the store and the test registry: the
 * Docker resolver is bound as a service provider because {@code dev.hoist.core} uses
 * {@code ResolverProvider}.
 */
module dev.hoist.consumer {
  requires dev.hoist.content.local;
  requires dev.hoist.testkit;
}
