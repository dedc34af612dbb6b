/**
 * Implementations behind {@code dev.hoist.images}: handler decorators and the {@code Dispatch}
 * walk. Not part of the API; may change without notice.
 */
package dev.hoist.images.internal;
