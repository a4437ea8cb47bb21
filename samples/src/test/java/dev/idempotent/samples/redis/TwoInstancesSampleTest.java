package dev.idempotent.samples.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class TwoInstancesSampleTest {
  @Test
  void twoProcessesChargeOnce() throws Exception {
    int charges = TwoInstancesSample.run("redis://127.0.0.1:6379");
    assumeTrue(charges >= 0, "Redis is not reachable on 127.0.0.1:6379");
    assertEquals(1, charges);
  }
}
