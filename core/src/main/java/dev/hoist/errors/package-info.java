/**
 * The failure categories of Hoist: a sealed, unchecked family mirroring containerd's errdefs. Entry
 * points throw only these; service-provider methods may also throw {@link java.io.IOException}.
 */
package dev.hoist.errors;
