package dev.idempotent.spring.kit;

import dev.idempotent.spring.IdempotencyAutoConfiguration;
import dev.idempotent.spring.woven.WovenLedger;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The application the kit's Spring tests start: the starter, a proxied bean and a woven one. */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(IdempotencyAutoConfiguration.class)
public class KitApplication {
  /** Proxied by the starter. */
  @Bean
  Charges charges() {
    return new Charges();
  }

  /** Woven by ajc; the aspect runs it. */
  @Bean
  WovenLedger ledger() {
    return new WovenLedger();
  }
}
