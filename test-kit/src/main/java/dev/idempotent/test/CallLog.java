package dev.idempotent.test;

import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Every event of the test engine, in order: how the kit knows how often a body ran without a
 * counter in the user's code. Thread-safe.
 */
final class CallLog implements IdempotencyListener {
  private final List<IdempotencyEvent> events = new ArrayList<>();

  @Override
  public synchronized void onEvent(IdempotencyEvent event) {
    events.add(event);
  }

  /** How many events were seen so far: a mark to read {@link #since} from. */
  synchronized int mark() {
    return events.size();
  }

  /** The events seen after {@code mark}. */
  synchronized Observed since(int mark) {
    return new Observed(List.copyOf(events.subList(mark, events.size())));
  }

  /** Every event seen so far. */
  synchronized List<IdempotencyEvent> all() {
    return List.copyOf(events);
  }
}
