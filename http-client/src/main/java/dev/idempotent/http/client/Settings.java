package dev.idempotent.http.client;

import java.net.URI;
import java.util.random.RandomGenerator;

/**
 * What the JDK client and the OkHttp interceptor share: the policy, time, randomness, listener and
 * key format, and the name of the builder they came from, for messages. Immutable.
 */
record Settings(
    String builderName,
    RetryPolicy policy,
    RetryTimer timer,
    RandomGenerator random,
    AttemptListener listener,
    KeyFormat keyFormat) {

  /**
   * Writes a generated key as the header value, quoted and escaped for {@link
   * KeyFormat#STRUCTURED_STRING}.
   *
   * @throws IllegalArgumentException if the key is empty or has a character a header cannot carry
   */
  String headerValue(String key, String method, URI uri) {
    int lowest = keyFormat == KeyFormat.STRUCTURED_STRING ? 0x20 : 0x21;
    String problem = null;
    if (key == null || key.isEmpty()) {
      problem = key == null ? "null" : "an empty key";
    } else {
      for (int i = 0; i < key.length() && problem == null; i++) {
        char c = key.charAt(i);
        if (c < lowest || c > 0x7e) {
          problem = String.format("a key with character U+%04X at index %d", (int) c, i);
        }
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(
          builderName
              + ".keyGenerator returned "
              + problem
              + " for "
              + method
              + " "
              + uri
              + "; keys written as "
              + keyFormat
              + " must be 1 or more printable ASCII characters"
              + (keyFormat == KeyFormat.BARE ? " other than space" : "")
              + ". Fix the key generator (the default, a random UUID, always fits).");
    }
    if (keyFormat == KeyFormat.BARE) {
      return key;
    }
    return '"' + key.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
