package dev.idempotent.spring.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.idempotent.Idempotent;
import dev.idempotent.codec.JacksonOutcomeCodec;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.codec.ValueCodec;
import dev.idempotent.spring.IdempotencyAutoConfiguration;
import dev.idempotent.test.IdempotencyExtension;
import dev.idempotent.test.IdempotencyTestConfiguration;
import dev.idempotent.test.IdempotencyTester;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The test's engine keys, encodes and expires as the application's does: it takes the context's
 * codec bean and the starter's {@code idempotent.*} defaults.
 */
@SpringBootTest(
    classes = ContextSettingsTest.Application.class,
    properties = "idempotent.default-ttl=2h")
@Import(IdempotencyTestConfiguration.class)
@ExtendWith(IdempotencyExtension.class)
@ResourceLock(IdempotencyExtension.SPRING)
@ResourceLock(IdempotencyExtension.ASPECT)
class ContextSettingsTest {
  @Autowired Quotes quotes;
  @Autowired CountingCodec codec;

  @Test
  void aMethodWithoutTtlExpiresAfterTheConfiguredDefault(IdempotencyTester idempotency) {
    idempotency.assertRunsAgainAfterTtl(Duration.ofHours(2), () -> quotes.quote("q-1"));
  }

  @Test
  void theDefaultIsNotTheEnginesOwn(IdempotencyTester idempotency) {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                idempotency.assertRunsAgainAfterTtl(
                    Duration.ofHours(24), () -> quotes.quote("q-2")));
    assertThat(e).hasMessageContaining("shorter than PT24H");
  }

  @Test
  void outcomesGoThroughTheApplicationsCodec(IdempotencyTester idempotency) {
    int before = codec.lookups.get();
    idempotency.assertRetryReturnsSameResult(() -> quotes.quote("q-3"));
    assertThat(codec.lookups.get()).isGreaterThan(before);
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(IdempotencyAutoConfiguration.class)
  static class Application {
    @Bean
    Quotes quotes() {
      return new Quotes();
    }

    @Bean
    CountingCodec codec() {
      return new CountingCodec();
    }
  }

  /** A bean whose method has no ttl of its own. */
  static class Quotes {
    private final AtomicInteger quotes = new AtomicInteger();

    @Idempotent(keyExpr = "#id")
    public String quote(String id) {
      return "quote " + quotes.incrementAndGet() + " for " + id;
    }
  }

  /** The application's codec: core's Jackson codec, counting the types it is asked for. */
  static class CountingCodec implements OutcomeCodec {
    final AtomicInteger lookups = new AtomicInteger();
    private final OutcomeCodec jackson = JacksonOutcomeCodec.create();

    @Override
    public ValueCodec forType(Type valueType) {
      lookups.incrementAndGet();
      return jackson.forType(valueType);
    }
  }
}
