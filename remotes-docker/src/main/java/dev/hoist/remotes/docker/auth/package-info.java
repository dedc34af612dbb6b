/**
 * Registry authentication for the Docker remote: {@link
 * dev.hoist.remotes.docker.auth.DockerAuthorizer} (Bearer tokens, OAuth2, Basic), {@code
 * WWW-Authenticate} parsing, and credential sources ({@link
 * dev.hoist.remotes.docker.auth.CredentialsProvider}, {@link
 * dev.hoist.remotes.docker.auth.DockerConfigCredentials}).
 */
package dev.hoist.remotes.docker.auth;
