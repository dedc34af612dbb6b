package dev.hoist.snapshots;

/**
 * Disk used by one snapshot, as containerd's {@code snapshots.Usage}.
 *
 * @param inodes files, directories and links counted
 * @param size bytes used by regular files
 */
public record Usage(long inodes, long size) {}
