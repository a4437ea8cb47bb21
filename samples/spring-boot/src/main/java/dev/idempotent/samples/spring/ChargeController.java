package dev.idempotent.samples.spring;

import dev.idempotent.IdempotencyInProgressException;
import dev.idempotent.IdempotencyKeyReuseException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /charges} with an {@code Idempotency-Key} header: 201 with the receipt (the same one
 * for every request with that key), 422 when the key was used for another request, 409 when the
 * first request with the key is still running and the duplicate waited too long.
 */
@RestController
public class ChargeController {
  private final ChargeService charges;

  /**
   * Creates the controller.
   *
   * @param charges the service that charges once per key
   */
  public ChargeController(ChargeService charges) {
    this.charges = charges;
  }

  /**
   * Charges once per key.
   *
   * @param key the client's idempotency key
   * @param request what to charge
   * @return 201 with the receipt
   */
  @PostMapping("/charges")
  public ResponseEntity<Receipt> charge(
      @RequestHeader("Idempotency-Key") String key, @RequestBody ChargeRequest request) {
    return ResponseEntity.status(HttpStatus.CREATED).body(charges.charge(key, request));
  }

  /** The key was used before with another request: 422. */
  @ExceptionHandler(IdempotencyKeyReuseException.class)
  ResponseEntity<Map<String, String>> keyReused(IdempotencyKeyReuseException e) {
    return ResponseEntity.unprocessableEntity()
        .body(Map.of("error", "Idempotency-Key was already used for a different request"));
  }

  /** The first request with the key is still running: 409, retry later. */
  @ExceptionHandler(IdempotencyInProgressException.class)
  ResponseEntity<Map<String, String>> inProgress(IdempotencyInProgressException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(Map.of("error", "a request with this Idempotency-Key is still being processed"));
  }
}
