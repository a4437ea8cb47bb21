package dev.idempotent.test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Wires the test kit into a Spring test context: import it into a {@code @SpringBootTest} (or any
 * Spring test context that has the starter's {@code @Idempotent} proxies) next to {@link
 * IdempotencyExtension}, and every test runs the context's {@code @Idempotent} beans on its own
 * fresh engine, store and {@link FakeTicker}, even though Spring caches the context and reuses it
 * for every test method and class:
 *
 * <pre>{@code
 * @SpringBootTest
 * @Import(IdempotencyTestConfiguration.class)
 * @ExtendWith(IdempotencyExtension.class)
 * class ChargeServiceTest {
 *   @Autowired ChargeService charges;
 *
 *   @Test
 *   void aRetryGetsTheFirstReceipt(IdempotencyTester idempotency) {
 *     idempotency.assertRetryReturnsSameResult(() -> charges.charge("key-1", request));
 *   }
 * }
 * }</pre>
 *
 * <p>It defines one bean, a {@link SpringTesterBinding} (a {@code Supplier<IdempotencyEngine>},
 * marked {@code @Primary}), which the starter's proxies ask for the engine on every call. Before
 * each test the extension binds the test's {@link IdempotencyTester} to it, and after the test
 * unbinds it, so a call between tests or in a test without the extension fails with an {@link
 * IllegalStateException} that says what to add. The test's engine takes from the context what
 * decides keys, encoding and expiry: its {@code OutcomeCodec} and {@code KeyScope} beans and the
 * starter's {@code idempotent.default-ttl}, {@code default-lease}, {@code default-wait-timeout} and
 * {@code hash-keys} properties; its store is the tester's serializing in-memory store, whatever
 * store the application uses. The context's own engine bean stays, for what holds it directly (the
 * HTTP filter of idempotent-http-server). Woven methods follow the tester through the aspect, as in
 * any test. Needs spring-test, and the Spring Boot starter (or its {@code
 * IdempotentProxyConfiguration}) for the proxies; the kit depends on neither, so Guice and AspectJ
 * users do not get Spring.
 */
@Configuration(proxyBeanMethods = false)
public class IdempotencyTestConfiguration {
  /** Creates the configuration; Spring does. */
  public IdempotencyTestConfiguration() {}

  /**
   * The binding the extension attaches each test's tester to.
   *
   * @return a new, unbound binding
   */
  @Bean
  @Primary
  public SpringTesterBinding idempotencyTesterBinding() {
    return new SpringTesterBinding();
  }
}
