package shop.woven;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Woven by ajc: its self-call to a private method is protected, which no proxy could do. */
@Component
public class Ledger {
  private final AtomicInteger runs = new AtomicInteger();

  /** Posts through a private method. */
  public String post(String entryId) {
    return postOnce(entryId);
  }

  @Idempotent(keyExpr = "#entryId")
  private String postOnce(String entryId) {
    return "posted " + entryId + " #" + runs.incrementAndGet();
  }

  /** How often the body ran. */
  public int runs() {
    return runs.get();
  }
}
