/**
 * Content storage, as containerd's {@code content} package: providers read committed blobs,
 * ingesters open writers, and a store joins both with labels and ingest management.
 */
package dev.hoist.content;
