package dev.idempotent.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one namespace, registered together once so that recording an event needs no
 * registry lookup. Immutable; the meters themselves are thread-safe.
 */
final class NamespaceMeters {
  final Counter executed;
  final Counter replayed;
  final Counter rejected;
  final Counter keyReuse;
  final Counter failOpen;
  final Counter staleCompletions;
  final Counter storeFailures;
  final Timer waits;
  final Timer acquire;
  final Timer complete;
  final Timer release;

  NamespaceMeters(MeterRegistry registry, String prefix, Tags tags) {
    String calls = prefix + ".calls";
    String callsHelp = "Calls of idempotent methods and operations, by how they ended";
    executed = counter(registry, calls, callsHelp, tags.and("result", "executed"));
    replayed = counter(registry, calls, callsHelp, tags.and("result", "replayed"));
    rejected = counter(registry, calls, callsHelp, tags.and("result", "rejected"));
    keyReuse = counter(registry, calls, callsHelp, tags.and("result", "key_reuse"));
    failOpen = counter(registry, calls, callsHelp, tags.and("result", "fail_open"));
    staleCompletions =
        counter(
            registry,
            prefix + ".stale.completions",
            "Bodies that finished after their lease was taken over; their outcome was not written",
            tags);
    storeFailures =
        counter(registry, prefix + ".store.failures", "Store operations that threw", tags);
    waits =
        Timer.builder(prefix + ".waits")
            .description("How long duplicates waited for the first call with their key")
            .tags(tags)
            .register(registry);
    String operations = prefix + ".store.operations";
    acquire = storeTimer(registry, operations, tags.and("operation", "acquire"));
    complete = storeTimer(registry, operations, tags.and("operation", "complete"));
    release = storeTimer(registry, operations, tags.and("operation", "release"));
  }

  private static Counter counter(
      MeterRegistry registry, String name, String description, Tags tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  private static Timer storeTimer(MeterRegistry registry, String name, Tags tags) {
    return Timer.builder(name)
        .description("Store operations that finished, by how long they took")
        .tags(tags)
        .register(registry);
  }
}
