package dev.idempotent.benchmarks;

import java.math.BigDecimal;

/**
 * A request made only of strings and numbers, whose {@code note} sets the size of its canonical
 * JSON: {@link ArgumentSizeBenchmark}'s flat shape, which the engine's direct JSON writer can take.
 *
 * @param id the client's idempotency key
 * @param amount how much
 * @param note free text, as long as the benchmark needs
 */
public record ChargeNote(String id, BigDecimal amount, String note) {}
