/**
 * Example programs, each a runnable {@code main} written against the public API only: {@link
 * dev.hoist.examples.FetchImage} (the basic fetch), {@link
 * dev.hoist.examples.FetchWithCustomHandler} (a base handler and a handler wrapper), {@link
 * dev.hoist.examples.FetchWithHostsDir} (mirrors, TLS and credentials from a hosts directory) and
 * {@link dev.hoist.examples.InMemoryTesting} (unit-testing your own code with the testkit). The
 * {@code hoist} command line lives in {@code dev.hoist.cli}.
 *
 * <p>Parameters are non-null unless their javadoc says otherwise.
 */
package dev.hoist.examples;
