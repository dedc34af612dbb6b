package dev.hoist.images;

/**
 * Control signals a handler throws to steer a walk; they are not errors and never escape {@link
 * Dispatch}. Stackless, so throwing them is cheap.
 */
public final class HandlerSignal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Do not visit this descriptor's children, and stop later handlers in {@code Handlers.all}. */
  public static final HandlerSignal SKIP_CHILDREN = new HandlerSignal("skip children");

  /** Stop later handlers in {@code Handlers.all} for this descriptor, keeping children so far. */
  public static final HandlerSignal STOP = new HandlerSignal("stop handler");

  private HandlerSignal(String name) {
    super(name, null, false, false);
  }
}
