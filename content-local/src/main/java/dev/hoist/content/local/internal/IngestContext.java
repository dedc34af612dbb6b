package dev.hoist.content.local.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * What writers share with their store.
 *
 * @param lockWait how long to wait for a busy ingest ref; zero fails at once
 * @param syncer how blob data is flushed to disk
 * @param blobDirs the shared fsyncs of {@code blobs/<alg>} after a commit's link
 */
public record IngestContext(
    StoreLayout layout,
    BlobMetadata metadata,
    Clock clock,
    Duration lockWait,
    Syncer syncer,
    GroupSync blobDirs) {}
