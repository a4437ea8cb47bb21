package dev.idempotent.internal.json;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The mapper of argument fingerprints. Outcomes have their own codec ({@code
 * dev.idempotent.codec.OutcomeCodec}); changing it never changes a fingerprint.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /**
   * The mapper for fingerprints: properties and map entries in sorted order and dates as ISO text,
   * so equal arguments give equal bytes in every JVM, whatever the field order or the time zone.
   */
  public static ObjectMapper canonicalMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
  }
}
