package dev.idempotent.test;

import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyEvent.Type;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/** What the engine reported while an assertion ran its calls. Immutable. */
record Observed(List<IdempotencyEvent> events) {

  /** How many bodies ran: recorded, released after a failure, or finished after a takeover. */
  int runs() {
    return count(Type.EXECUTED) + count(Type.STALE_COMPLETION) + count(Type.FAIL_OPEN);
  }

  int count(Type type) {
    int n = 0;
    for (IdempotencyEvent event : events) {
      if (event.type() == type) {
        n++;
      }
    }
    return n;
  }

  boolean none() {
    return events.isEmpty();
  }

  /** The distinct keys (namespace and key hash) the calls used. */
  Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (IdempotencyEvent event : events) {
      keys.add(event.namespace() + " key " + event.keyHash());
    }
    return keys;
  }

  /** The events in order, one a line, for a failure message. */
  String describe() {
    if (events.isEmpty()) {
      return "  (no events)";
    }
    StringJoiner lines = new StringJoiner("\n");
    for (IdempotencyEvent event : events) {
      lines.add("  " + event.type() + " " + event.namespace() + " key " + event.keyHash());
    }
    return lines.toString();
  }
}
