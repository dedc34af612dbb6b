/**
 * Not API: may change in any release. The local snapshotters' files, locks, tree copies and overlay
 * merges.
 */
package dev.hoist.unpack.internal;
