/**
 * Platform specifiers ({@code linux/arm64/v8}), normalisation and matchers, with containerd's
 * semantics: {@link dev.hoist.platforms.Platforms#only(dev.hoist.spec.Platform)} accepts what a
 * host of that platform can run (arm64 runs arm/v8…v5, arm/v7 runs v6 and v5, amd64/v3 runs v2, v1
 * and 386) and ranks the closest first.
 */
package dev.hoist.platforms;
