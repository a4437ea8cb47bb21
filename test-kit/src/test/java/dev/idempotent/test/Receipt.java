package dev.idempotent.test;

import java.math.BigDecimal;

/** What a charge returns; a record, so it has equals and survives the codec. */
public record Receipt(String id, String customer, BigDecimal amount) {}
