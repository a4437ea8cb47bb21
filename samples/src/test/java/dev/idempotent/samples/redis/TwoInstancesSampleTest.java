package dev.idempotent.samples.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.idempotent.testing.RequiresServer;
import dev.idempotent.testing.TestServer;
import org.junit.jupiter.api.Test;

@RequiresServer(TestServer.REDIS)
class TwoInstancesSampleTest {
  @Test
  void twoProcessesChargeOnce() throws Exception {
    int charges = TwoInstancesSample.run("redis://127.0.0.1:" + TestServer.REDIS.port());
    assertEquals(1, charges, "real charges across the two processes (-1: Redis did not answer)");
  }
}
