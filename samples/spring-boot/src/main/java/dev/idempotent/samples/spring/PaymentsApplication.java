package dev.idempotent.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot web application whose {@code POST /charges} charges a card once per {@code
 * Idempotency-Key}: the starter proxies {@link ChargeService}, so a retried or concurrent request
 * with the same key gets the first request's receipt without charging again.
 *
 * <pre>
 * mvn -pl samples/spring-boot -am package -DskipTests -Dinvoker.skip
 * java -jar ...                                      # records in memory
 * java -jar ... --idempotent.store.redis.uri=redis://127.0.0.1:6379   # records in Redis
 * </pre>
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
