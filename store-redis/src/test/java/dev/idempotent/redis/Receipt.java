package dev.idempotent.redis;

/**
 * What the bodies of the multi-process and crash tests return: a fresh id per execution, so that
 * two callers holding the same receipt prove they got one execution's outcome.
 *
 * @param key the idempotency key
 * @param id a random id made by the execution
 * @param executedBy the process (and thread) that ran the body
 */
record Receipt(String key, String id, String executedBy) {}
