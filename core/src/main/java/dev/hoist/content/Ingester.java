package dev.hoist.content;

import dev.hoist.spec.Descriptor;
import java.io.IOException;

/** Opens writers for new content. */
@FunctionalInterface
public interface Ingester {

  /**
   * Opens a writer for the ingest {@code ref}. If a previous writer for the same ref was closed
   * without committing (or its process died), the new writer continues from the bytes already
   * written: check {@link ContentWriter#status()} for the offset.
   *
   * @param ref a key naming this ingest, e.g. from {@link IngestRefs#of}
   * @param desc the expected content: its digest and size are checked on commit; a size or digest
   *     of zero/null means unknown
   * @return the writer, which holds {@code ref} until it is closed or committed
   * @throws dev.hoist.errors.UnavailableException when another writer holds {@code ref}
   * @throws dev.hoist.errors.AlreadyExistsException when {@code desc.digest()} is already committed
   * @throws IOException when the store cannot be written
   */
  ContentWriter writer(String ref, Descriptor desc) throws IOException;
}
