/** Helpers behind Hoist's error messages; not API, used by Hoist's own modules only. */
package dev.hoist.errors.internal;
