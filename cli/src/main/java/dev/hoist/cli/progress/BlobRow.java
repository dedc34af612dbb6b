package dev.hoist.cli.progress;

/**
 * One row of the progress table, a snapshot.
 *
 * @param key e.g. {@code layer-sha256:…}
 * @param state where the blob stands
 * @param offset bytes in the store so far
 * @param total the blob's size
 */
public record BlobRow(String key, BlobState state, long offset, long total) {}
