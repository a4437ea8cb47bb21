package dev.idempotent.benchmarks;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import dev.idempotent.aspectj.WovenIdempotent;
import dev.idempotent.guice.IdempotencyModule;

/**
 * The intercepted fixture: compiled by javac alone (never woven, since Guice leaves woven methods
 * to the woven advice) and created by a Guice injector with {@link IdempotencyModule}, so each call
 * of an {@code @Idempotent} method goes through Guice's generated subclass and the module's
 * interceptor. The same bodies as {@link OrderService}.
 */
public class GuiceOrderService {

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

  /**
   * An instance from a new injector whose {@link IdempotencyModule} uses {@code engine}.
   *
   * @throws IllegalStateException when the instance is not Guice's intercepting subclass, or its
   *     methods were woven (then Guice would not intercept them and the figure would be the woven
   *     one)
   */
  static GuiceOrderService create(IdempotencyEngine engine) {
    Injector injector =
        Guice.createInjector(
            new IdempotencyModule(engine), binder -> binder.bind(GuiceOrderService.class));
    GuiceOrderService service = injector.getInstance(GuiceOrderService.class);
    if (service.getClass() == GuiceOrderService.class) {
      throw new IllegalStateException(
          "Guice returned a plain GuiceOrderService: its @Idempotent methods are not intercepted");
    }
    try {
      if (GuiceOrderService.class
          .getMethod("place", PlaceOrder.class)
          .isAnnotationPresent(WovenIdempotent.class)) {
        throw new IllegalStateException(
            "GuiceOrderService is woven; exclude it from ajc so that Guice intercepts it");
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    return service;
  }
}
