package dev.hoist.client;

import dev.hoist.images.Image;
import java.time.Duration;

/**
 * What one fetch did: the image it recorded and how many blobs it downloaded or found present.
 *
 * @param image the image as recorded in the image store
 * @param downloaded blobs downloaded (fully or resumed) and committed by this fetch
 * @param present blobs that were already in the store
 * @param bytesDownloaded bytes received and written by this fetch (a resumed blob counts only what
 *     it still needed)
 * @param elapsed wall time from resolving to recording the image
 */
public record FetchSummary(
    Image image, int downloaded, int present, long bytesDownloaded, Duration elapsed) {

  /** {@return true when every blob was already present: nothing was downloaded} */
  public boolean upToDate() {
    return downloaded == 0;
  }
}
