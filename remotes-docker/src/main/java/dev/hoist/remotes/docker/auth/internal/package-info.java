/** Implementation of {@code dev.hoist.remotes.docker.auth}; not part of the API. */
package dev.hoist.remotes.docker.auth.internal;
