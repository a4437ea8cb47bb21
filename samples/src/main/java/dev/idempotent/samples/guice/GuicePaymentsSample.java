package dev.idempotent.samples.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.idempotent.guice.IdempotencyModule;
import dev.idempotent.samples.payments.CardGateway;
import dev.idempotent.samples.payments.PaymentStory;
import dev.idempotent.samples.payments.Payments;

/**
 * The payments story through Guice: {@code install(new IdempotencyModule())} and every
 * {@code @Idempotent} method of a Guice-created instance is protected. Exits with status 1 when any
 * payment was charged twice.
 */
public final class GuicePaymentsSample {
  private GuicePaymentsSample() {}

  /** The application's module: the gateway, the service, and idempotency. */
  static final class PaymentsModule extends AbstractModule {
    private final CardGateway gateway;

    PaymentsModule(CardGateway gateway) {
      this.gateway = gateway;
    }

    @Override
    protected void configure() {
      install(new IdempotencyModule());
      bind(CardGateway.class).toInstance(gateway);
      bind(Payments.class).to(GuicePaymentService.class);
    }
  }

  /**
   * Runs the story.
   *
   * @param args ignored
   */
  public static void main(String[] args) throws Exception {
    System.out.println("Payments with @Idempotent through Guice; records in Caffeine.");
    System.out.println();
    CardGateway gateway = new CardGateway();
    Injector injector = Guice.createInjector(new PaymentsModule(gateway));
    boolean ok = new PaymentStory(injector.getInstance(Payments.class), gateway, System.out).tell();
    System.exit(ok ? 0 : 1);
  }
}
