package dev.idempotent.samples.spring;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** A stand-in for a real card network: numbers its charges. Thread-safe. */
@Component
public class SimulatedCardGateway implements CardGateway {
  private final AtomicLong charges = new AtomicLong();

  /** Creates the gateway. */
  public SimulatedCardGateway() {}

  @Override
  public String charge(ChargeRequest request) {
    return "ch_" + charges.incrementAndGet();
  }
}
