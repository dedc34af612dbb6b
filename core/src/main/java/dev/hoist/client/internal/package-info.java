/** Implementations behind {@code dev.hoist.client}. Not part of the API. */
package dev.hoist.client.internal;
