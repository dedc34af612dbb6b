/**
 * Unpacking image layers onto a filesystem: the tar layer applier and the local snapshotter.
 *
 * <p>Parameters are non-null unless their javadoc says otherwise.
 */
package dev.hoist.unpack;
