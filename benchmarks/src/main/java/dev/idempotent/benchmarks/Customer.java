package dev.idempotent.benchmarks;

/**
 * The customer nested in the issue-17 requests: a plain record of strings, as a REST handler would
 * receive it.
 *
 * @param id the customer's id
 * @param name the customer's name
 * @param email where receipts go
 */
public record Customer(String id, String name, String email) {}
