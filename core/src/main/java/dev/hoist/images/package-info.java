/**
 * Walking image graphs, as containerd's {@code images} package: {@link dev.hoist.images.Handler}s
 * map a descriptor to its children and are composed with {@link dev.hoist.images.Handlers} and the
 * decorators on {@code Handler}; {@link dev.hoist.images.Dispatch} runs them concurrently and
 * bounded; {@link dev.hoist.images.Images} answers questions about stored images; {@link
 * dev.hoist.images.ImageStore} names images.
 *
 * <p>Everything is non-null unless its javadoc says "nullable".
 */
package dev.hoist.images;
