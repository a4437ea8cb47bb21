package shop;

import dev.idempotent.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/** Compiled by javac: the starter's proxy protects it, and {@link CallCounter} counts its calls. */
@Service
public class Payments {
  private final AtomicInteger runs = new AtomicInteger();

  /** Charges once per id. */
  @Idempotent(keyExpr = "#id")
  public String charge(String id) {
    return "charged " + id + " #" + runs.incrementAndGet();
  }

  /** How often the body ran. */
  public int runs() {
    return runs.get();
  }
}
