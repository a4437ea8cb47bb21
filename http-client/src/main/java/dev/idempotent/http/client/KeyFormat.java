package dev.idempotent.http.client;

/** How an {@link IdempotentHttpClient} writes the keys it generates into the header. */
public enum KeyFormat {
  /**
   * A Structured Field string, as the IETF draft "The Idempotency-Key HTTP Header Field" defines
   * the header: {@code Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"}. The default.
   */
  STRUCTURED_STRING,
  /**
   * The bare value, as most public APIs document it: {@code Idempotency-Key:
   * 8e03978e-40d5-43e8-bc93-6894a57f9324}.
   */
  BARE
}
