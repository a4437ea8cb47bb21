package dev.idempotent.samples.spring;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /refunds}, protected at the HTTP layer instead of by an annotation: the route is
 * listed in {@code idempotent.http.routes} (application.properties), so idempotent-http-server's
 * filter, registered by the starter, answers a retry with the first response, byte for byte and
 * marked {@code Idempotent-Replayed: true}, and refuses a request without an {@code
 * Idempotency-Key} with 400.
 */
@RestController
public class RefundController {
  private final AtomicLong refunds = new AtomicLong();

  /** Creates the controller. */
  public RefundController() {}

  /**
   * Refunds a charge; runs once per key because the filter sees every request first.
   *
   * @param request the charge id and amount
   * @return 201 with the refund
   */
  @PostMapping("/refunds")
  public ResponseEntity<Map<String, Object>> refund(@RequestBody Map<String, Object> request) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(
            Map.of(
                "refundId",
                "rf_" + refunds.incrementAndGet(),
                "chargeId",
                request.get("chargeId")));
  }
}
