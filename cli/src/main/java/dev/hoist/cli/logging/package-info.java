/** The command line's logging backend: one-line warnings. Not API: may change in any release. */
package dev.hoist.cli.logging;
