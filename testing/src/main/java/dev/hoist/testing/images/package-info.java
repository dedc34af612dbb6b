/** The image-store contract: {@link dev.hoist.testing.images.ImageStoreContract}. */
package dev.hoist.testing.images;
