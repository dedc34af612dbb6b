/** Implementations behind {@code dev.hoist.digest}. Not part of the API. */
package dev.hoist.digest.internal;
