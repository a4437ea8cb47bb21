package dev.idempotent.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot web application whose {@code POST /charges} charges a card once per {@code
 * Idempotency-Key}: the starter proxies {@link ChargeService}, so a retried or concurrent request
 * with the same key gets the first request's receipt without charging again.
 *
 * <pre>
 * mvn -B -q -pl samples/spring-boot -am -DskipTests -Dinvoker.skip -Prun-sample package
 * curl -i -X POST localhost:8080/charges -H 'Idempotency-Key: k1' \
 *     -H 'Content-Type: application/json' -d '{"card":"tok_visa","amountCents":1250}'
 * </pre>
 *
 * <p>Records stay in memory; add {@code
 * -Dsample.args=--idempotent.store.redis.uri=redis://127.0.0.1:6379} to keep them in Redis, shared
 * by every instance. {@code POST /refunds} is protected by the {@code Idempotency-Key} filter of
 * idempotent-http-server instead of an annotation.
 */
@SpringBootApplication
public class PaymentsApplication {
  /**
   * Starts the application.
   *
   * @param args Spring Boot command-line arguments, such as {@code --server.port=8080}
   */
  public static void main(String[] args) {
    SpringApplication.run(PaymentsApplication.class, args);
  }
}
