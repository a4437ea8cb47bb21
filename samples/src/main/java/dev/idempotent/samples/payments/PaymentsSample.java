package dev.idempotent.samples.payments;

/**
 * The payments story with {@link PaymentService} woven at compile time and records in the default
 * Caffeine store. Exits with status 1 when any payment was charged twice.
 */
public final class PaymentsSample {
  private PaymentsSample() {}

  /**
   * Runs the story.
   *
   * @param args ignored
   */
  public static void main(String[] args) throws Exception {
    System.out.println("Payments with @Idempotent, woven at compile time; records in Caffeine.");
    System.out.println();
    CardGateway gateway = new CardGateway();
    boolean ok = new PaymentStory(new PaymentService(gateway), gateway, System.out).tell();
    System.exit(ok ? 0 : 1);
  }
}
