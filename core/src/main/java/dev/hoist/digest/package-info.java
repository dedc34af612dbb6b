/** Content digests: parsing, validation and incremental hashing. */
package dev.hoist.digest;
