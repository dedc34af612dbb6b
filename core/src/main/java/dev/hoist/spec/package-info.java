/**
 * The OCI image spec and Docker schema 2 documents as immutable records ({@link
 * dev.hoist.spec.Descriptor}, {@link dev.hoist.spec.Manifest}, {@link dev.hoist.spec.Index}, {@link
 * dev.hoist.spec.Platform}, {@link dev.hoist.spec.ImageConfig}), their media types, and strict JSON
 * reading and byte-stable writing in {@link dev.hoist.spec.OciJson}.
 */
package dev.hoist.spec;
