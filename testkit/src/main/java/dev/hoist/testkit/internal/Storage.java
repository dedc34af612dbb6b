package dev.hoist.testkit.internal;

import dev.hoist.digest.Digest;
import dev.hoist.testkit.Blob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Repositories, blobs and upload sessions. Blobs are global (content-addressed) and linked into the
 * repositories they were pushed or mounted to, as in Docker's distribution: a blob is only served
 * from a repository it is linked to. Thread-safe.
 */
public final class Storage {

  /** A stored manifest or index: its bytes and the media type it was pushed with. */
  public static final class StoredManifest {
    public final String mediaType;
    public final Blob blob;

    StoredManifest(String mediaType, Blob blob) {
      this.mediaType = mediaType;
      this.blob = blob;
    }
  }

  /** One repository's links, manifests and tags. */
  public static final class Repo {
    final Set<Digest> blobs = ConcurrentHashMap.newKeySet();
    final Map<Digest, StoredManifest> manifests = new ConcurrentHashMap<>();
    final Map<String, Digest> tags = new ConcurrentHashMap<>();

    public Map<String, Digest> tags() {
      return tags;
    }
  }

  private final Path directory; // null: everything in memory
  private final Map<Digest, Blob> blobs = new ConcurrentHashMap<>();
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  public Storage(Path directory) throws IOException {
    this.directory = directory;
    if (directory != null) {
      Files.createDirectories(directory.resolve("uploads"));
      Files.createDirectories(directory.resolve("blobs"));
    }
  }

  /** The repository, or null when nothing was ever pushed to it. */
  public Repo repo(String name) {
    return repos.get(name);
  }

  private Repo repoOrCreate(String name) {
    return repos.computeIfAbsent(name, n -> new Repo());
  }

  /** The blob if it is linked into {@code repo}, else null. */
  public Blob blob(String repo, Digest digest) {
    Repo r = repos.get(repo);
    return r == null || !r.blobs.contains(digest) ? null : blobs.get(digest);
  }

  /**
   * Stores {@code blob} (by reference: generated blobs stay generated) and links it into {@code
   * repo}.
   */
  public void putBlob(String repo, Blob blob) {
    blobs.putIfAbsent(blob.digest(), blob);
    repoOrCreate(repo).blobs.add(blob.digest());
  }

  /** Links a blob of {@code from} into {@code to}; false when {@code from} does not have it. */
  public boolean mount(String to, String from, Digest digest) {
    if (blob(from, digest) == null) {
      return false;
    }
    repoOrCreate(to).blobs.add(digest);
    return true;
  }

  public void putManifest(String repo, String tag, String mediaType, Blob blob) {
    Repo r = repoOrCreate(repo);
    blobs.putIfAbsent(blob.digest(), blob);
    r.blobs.add(blob.digest());
    r.manifests.put(blob.digest(), new StoredManifest(mediaType, blob));
    if (tag != null) {
      r.tags.put(tag, blob.digest());
    }
  }

  /** The manifest named by digest or tag in {@code repo}, or null. */
  public StoredManifest manifest(String repo, String reference) {
    Repo r = repos.get(repo);
    if (r == null) {
      return null;
    }
    Digest d = Digest.isValid(reference) ? Digest.parse(reference) : r.tags.get(reference);
    return d == null ? null : r.manifests.get(d);
  }

  public Upload startUpload(String repo) throws IOException {
    String id = UUID.randomUUID().toString();
    Path file = directory == null ? null : directory.resolve("uploads").resolve(id);
    Upload u = new Upload(id, repo, file);
    uploads.put(id, u);
    return u;
  }

  /** The upload session {@code id} of {@code repo}, or null. */
  public Upload upload(String repo, String id) {
    Upload u = uploads.get(id);
    return u == null || !u.repo().equals(repo) ? null : u;
  }

  /**
   * Ends an upload: when its digest equals {@code expected} the blob is stored and linked and
   * returned; otherwise the bytes are dropped and null is returned.
   */
  public Blob finishUpload(Upload u, Digest expected) throws IOException {
    uploads.remove(u.id());
    if (!u.digest().equals(expected)) {
      u.cancel();
      return null;
    }
    Path committed =
        directory == null
            ? null
            : directory.resolve("blobs").resolve(expected.algorithm()).resolve(expected.hex());
    Blob b = u.finish(committed);
    putBlob(u.repo(), b);
    return b;
  }

  public void cancelUpload(Upload u) {
    uploads.remove(u.id());
    u.cancel();
  }
}
