package dev.idempotent.benchmarks;

/**
 * The small result the benchmarked methods return, and that duplicates get back.
 *
 * @param orderId the order's id
 * @param status what happened to it
 */
public record Receipt(String orderId, String status) {

  /** What the body of every benchmarked method computes: a new receipt for the command. */
  public static Receipt accept(PlaceOrder cmd) {
    return new Receipt(cmd.id(), "ACCEPTED");
  }

  /** What the body of the issue-17 request methods computes: a new receipt for the request id. */
  public static Receipt charged(String id) {
    return new Receipt(id, "CHARGED");
  }
}
