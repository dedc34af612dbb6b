/**
 * Garbage collection of a content store, as containerd's metadata GC: images are the roots, blobs
 * reference blobs through {@code containerd.io/gc.ref.content.*} labels, everything unreachable
 * goes. {@link dev.hoist.gc.CollectionLock} keeps the content of fetches in flight.
 */
package dev.hoist.gc;
