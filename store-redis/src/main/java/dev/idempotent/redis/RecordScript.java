package dev.idempotent.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One of the Lua scripts that read and write a record, each touching exactly one key (so a Cluster
 * routes it by that key alone). The record is a hash; {@link RecordLayout} names its fields. A
 * script is sent by its SHA-1 ({@code EVALSHA}) and, only when the server does not know it yet, by
 * its source ({@code EVAL}). Immutable and thread-safe.
 */
final class RecordScript {

  /**
   * KEYS[1] the record; ARGV[1] the new token, ARGV[2] the lease in ms, ARGV[3] the fingerprint
   * (absent for none). Answers the existing record's fields as a flat list, or an empty list when
   * there was none and an in-progress record with the token now holds the key. An in-progress
   * record whose lease ran out is gone already: Redis expired its key.
   */
  static final RecordScript ACQUIRE =
      new RecordScript(
          "acquire",
          """
          local record = redis.call('HGETALL', KEYS[1])
          if #record > 0 then
            return record
          end
          if ARGV[3] then
            redis.call('HSET', KEYS[1], 's', 'p', 't', ARGV[1], 'f', ARGV[3])
          else
            redis.call('HSET', KEYS[1], 's', 'p', 't', ARGV[1])
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return record
          """);

  /**
   * The compare-and-set every token-guarded script starts with: answer 0 unless KEYS[1] is an
   * in-progress record holding the token ARGV[1].
   */
  private static final String HELD_BY_TOKEN =
      """
      local held = redis.call('HMGET', KEYS[1], 's', 't')
      if held[1] ~= 'p' or held[2] ~= ARGV[1] then
        return 0
      end
      """;

  /** Writes the outcome ARGV[3], drops the token and keeps the record for the ttl ARGV[2]. */
  private static final String COMPLETION =
      """
      redis.call('HSET', KEYS[1], 's', 'c', 'o', ARGV[3])
      redis.call('HDEL', KEYS[1], 't')
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return 1
      """;

  /**
   * KEYS[1] the record; ARGV[1] the token, ARGV[2] the ttl in ms, ARGV[3] the outcome bytes.
   * Answers 1 when the in-progress record held the token and is now completed, else 0.
   */
  static final RecordScript COMPLETE = new RecordScript("complete", HELD_BY_TOKEN + COMPLETION);

  /**
   * {@link #COMPLETE} sent again after the connection was lost while the first attempt was under
   * way: that attempt may have reached the master (the old one, which replicated it, or the new
   * one). Answers 1 as well when the record is already completed with exactly these outcome bytes,
   * so the first attempt's write is not mistaken for a lease taken over.
   */
  static final RecordScript COMPLETE_AGAIN =
      new RecordScript(
          "complete",
          """
          local done = redis.call('HMGET', KEYS[1], 's', 'o')
          if done[1] == 'c' and done[2] == ARGV[3] then
            return 1
          end
          """
              + HELD_BY_TOKEN
              + COMPLETION);

  /**
   * KEYS[1] the record; ARGV[1] the token. Answers 1 when the in-progress record held the token and
   * is now deleted, else 0.
   */
  static final RecordScript RELEASE =
      new RecordScript(
          "release",
          HELD_BY_TOKEN
              + """
          redis.call('DEL', KEYS[1])
          return 1
          """);

  /**
   * KEYS[1] the record; ARGV[1] the token, ARGV[2] the new lease in ms. Answers 1 when the
   * in-progress record held the token and now expires a lease from now, else 0.
   */
  static final RecordScript RENEW =
      new RecordScript(
          "renew",
          HELD_BY_TOKEN
              + """
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
          """);

  private final String operation;
  private final String source;
  private final String sha;

  private RecordScript(String operation, String source) {
    this.operation = operation;
    this.source = source;
    this.sha = sha1Hex(source);
  }

  /** The store operation this script implements, for messages. */
  String operation() {
    return operation;
  }

  /** The Lua source, sent with {@code EVAL} when the server does not have the script cached. */
  String source() {
    return source;
  }

  /** The SHA-1 of the source in lower-case hex, as {@code EVALSHA} expects it. */
  String sha() {
    return sha;
  }

  private static String sha1Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(digest.length * 2);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-1", e);
    }
  }
}
