/**
 * Internals of the Docker registry remote: the request loop (retries, authorization, redirects),
 * registry error parsing and body stream wrappers. Not API: may change in any release.
 */
package dev.hoist.remotes.docker.internal;
