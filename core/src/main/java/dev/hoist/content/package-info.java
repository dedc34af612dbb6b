/**
 * Content storage, as containerd's {@code content} package: providers read committed blobs,
 * ingesters open writers, and a store joins both with labels and ingest management.
 *
 * <p>Writing a blob: open a writer keyed by an ingest ref, copy the bytes in, commit with the
 * expected size and digest. {@link dev.hoist.content.Blobs} does the waiting, resuming and
 * verifying:
 *
 * <pre>{@code
 * ContentStore store = new InMemoryContentStore();          // or an on-disk store
 * try (ContentWriter w = Blobs.openWriter(store, IngestRefs.of(desc), desc, Duration.ofMinutes(1))) {
 *   Blobs.copy(w, offset -> openAt(offset), desc.size(), desc.digest(), Map.of(), n -> {});
 * } catch (AlreadyExistsException e) {
 *   // committed already
 * }
 * byte[] json = Blobs.readAll(store, desc, OciJson.DEFAULT_MAX_MANIFEST_BYTES);
 * }</pre>
 *
 * <p>A writer closed without commit keeps its bytes: the next writer for the same ref resumes from
 * {@link dev.hoist.content.ContentWriter#status()}'s offset. A commit whose size or digest differs
 * publishes nothing. Everything here is non-null unless documented as nullable.
 */
package dev.hoist.content;
