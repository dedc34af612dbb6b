/** Internal: JSON settings shared by Hoist's modules. Not API. */
package dev.hoist.spec.internal;
