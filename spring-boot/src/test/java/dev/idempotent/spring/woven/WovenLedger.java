package dev.idempotent.spring.woven;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/** Compiled by ajc with idempotent-aspectj (see this module's pom) and made a bean by Spring. */
public class WovenLedger {
  private final AtomicInteger runs = new AtomicInteger();

  /** Posts once per entry id. */
  @Idempotent(keyExpr = "#entryId")
  public String post(String entryId) {
    return "posted " + entryId + " #" + runs.incrementAndGet();
  }

  /** A private method only weaving protects: a proxy would refuse it at start-up. */
  public String postThroughThis(String entryId) {
    return postPrivately(entryId);
  }

  @Idempotent(keyExpr = "#entryId")
  private String postPrivately(String entryId) {
    return "posted privately " + entryId + " #" + runs.incrementAndGet();
  }

  /** How many times any body ran. */
  public int runs() {
    return runs.get();
  }
}
