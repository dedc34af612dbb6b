/** Implementation of the local store: layout, locks, writers, index.json. Not API. */
package dev.hoist.content.local.internal;
