package shop;

import dev.idempotent.aspectj.IdempotentAspect;

/** Calls each protected method twice and exits with 1 when a duplicate ran the body. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Fails start-up when the agent is missing: the classes would run unprotected.
    IdempotentAspect.verifyWoven(Payments.class);
    Payments payments = new Payments();
    String first = payments.charge("order-1", 1250);
    String second = payments.charge("order-1", 1250);
    String other = payments.charge("order-2", 1250);
    boolean chargedOnce = first.equals(second) && !first.equals(other) && payments.charges() == 2;
    boolean announcedOnce = Payments.announce("opened").equals(Payments.announce("opened"));
    if (!chargedOnce || !announcedOnce) {
      System.out.println(
          "LTW consumer FAILED: charges="
              + payments.charges()
              + ", static replayed="
              + announcedOnce);
      System.exit(1);
    }
    System.out.println(
        "LTW consumer OK: 3 calls with 2 keys ran the body 2 times; static replayed; Java "
            + System.getProperty("java.version"));
  }
}
