/**
 * The test registry's implementation: HTTP routing, storage, auth, fault application and blob
 * generators. Not API: may change in any release.
 */
package dev.hoist.testkit.internal;
