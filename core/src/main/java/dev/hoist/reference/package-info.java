/**
 * Image references: containerd's {@link dev.hoist.reference.Reference} (locator and object) and
 * Docker's normalisation ({@link dev.hoist.reference.DockerReferences#normalize(String)}: {@code
 * nginx} → {@code docker.io/library/nginx:latest}) with docker/distribution's grammar.
 */
package dev.hoist.reference;
