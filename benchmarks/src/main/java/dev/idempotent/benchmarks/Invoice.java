package dev.idempotent.benchmarks;

import java.util.List;

/**
 * A request with a nested record and a list of line items, whose length sets the size of its
 * canonical JSON: {@link ArgumentSizeBenchmark}'s realistic shape. A {@link List} is not a plain
 * value, so its fingerprint goes through Jackson's serializers.
 *
 * @param id the client's idempotency key
 * @param customer who is billed
 * @param lines what is billed
 */
public record Invoice(String id, Customer customer, List<LineItem> lines) {}
