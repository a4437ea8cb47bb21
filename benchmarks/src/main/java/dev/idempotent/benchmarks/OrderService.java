package dev.idempotent.benchmarks;

import dev.idempotent.Idempotent;
import java.lang.reflect.Method;

/**
 * The annotated methods the engine benchmarks run: the same body, with the payload check off and
 * on. The engine is handed these {@link Method}s, resolved once, as a woven aspect or an
 * interceptor would.
 */
public class OrderService {
  /** {@link #place(PlaceOrder)}. */
  public static final Method PLACE = method("place");

  /** {@link #placeChecked(PlaceOrder)}. */
  public static final Method PLACE_CHECKED = method("placeChecked");

  /** The payload check off: the key alone decides. */
  @Idempotent(keyExpr = "#cmd.id", ttl = "24h", validatePayload = false)
  public Receipt place(PlaceOrder cmd) {
    return Receipt.accept(cmd);
  }

  /** The payload check on (the default): a duplicate's arguments are fingerprinted and compared. */
  @Idempotent(keyExpr = "#cmd.id", ttl = "24h")
  public Receipt placeChecked(PlaceOrder cmd) {
    return Receipt.accept(cmd);
  }

  private static Method method(String name) {
    try {
      return OrderService.class.getMethod(name, PlaceOrder.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }
}
