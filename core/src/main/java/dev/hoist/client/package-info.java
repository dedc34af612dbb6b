/**
 * The entry point: {@link dev.hoist.client.Client#fetch} with the options of a {@link
 * dev.hoist.client.RemoteContext}, reporting to a {@link dev.hoist.client.ProgressListener}.
 *
 * <p>Everything is non-null unless its javadoc says "nullable".
 */
package dev.hoist.client;
