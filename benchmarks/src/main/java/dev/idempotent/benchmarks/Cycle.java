package dev.idempotent.benchmarks;

/**
 * A fixed sequence of requests that a hit-path benchmark visits over and over, in the order given
 * (build it scrambled for a visit that is not a walk through memory). Like {@link Keys}, for
 * requests of any shape and any count. Not thread-safe: one instance per thread.
 *
 * @param <T> the request type
 */
final class Cycle<T> {
  private final T[] items;
  private int next;

  Cycle(T[] items) {
    if (items.length == 0) {
      throw new IllegalArgumentException("a cycle needs at least one request");
    }
    this.items = items;
  }

  /** The next request, starting again at the first after the last. */
  T next() {
    T item = items[next];
    next = next + 1 == items.length ? 0 : next + 1;
    return item;
  }
}
