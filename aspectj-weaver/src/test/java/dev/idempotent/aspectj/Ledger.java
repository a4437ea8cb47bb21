package dev.idempotent.aspectj;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class woven at test-compile with what only weaving reaches: a private method called from inside
 * the class, a final method, and a method with more parameters than the advice binds.
 */
class Ledger {
  final AtomicInteger runs = new AtomicInteger();

  String post(String entry) {
    return record(entry);
  }

  @Idempotent(keyExpr = "#entry")
  private String record(String entry) {
    return "recorded " + entry + " #" + runs.incrementAndGet();
  }

  @Idempotent(keyExpr = "#id")
  final String close(String id) {
    return "closed " + id + " #" + runs.incrementAndGet();
  }

  @Idempotent(keyExpr = "#id")
  String transfer(String id, String from, String to, long amount, boolean urgent) {
    return id
        + ":"
        + from
        + "->"
        + to
        + " "
        + amount
        + (urgent ? "!" : "")
        + " #"
        + runs.incrementAndGet();
  }

  @Idempotent(keyExpr = "#id")
  String first(String id) {
    return "first " + id + " #" + runs.incrementAndGet();
  }
}
