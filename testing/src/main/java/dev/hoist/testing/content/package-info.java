/**
 * The content-store contract: {@link dev.hoist.testing.content.ContentStoreContract} (which extends
 * {@link dev.hoist.testing.content.IngestContract} and {@link
 * dev.hoist.testing.content.CommitContract}) and the {@link
 * dev.hoist.testing.content.ContentStoreFixtures} its cases use.
 */
package dev.hoist.testing.content;
