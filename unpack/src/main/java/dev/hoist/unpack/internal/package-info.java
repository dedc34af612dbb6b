/** Not API: may change in any release. The local snapshotter's files, locks and tree copies. */
package dev.hoist.unpack.internal;
