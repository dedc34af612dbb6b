/**
 * The internals of {@link dev.hoist.unpack.TarApplier}: decompression by magic bytes, the hashing
 * and bounding stream, safe resolution of entry paths inside the root, and the per-layer writer
 * (files, links, whiteouts, opaque directories, attributes). Not API: may change at any release.
 */
package dev.hoist.unpack.internal.tar;
