package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyStoreException;
import dev.idempotent.Idempotent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreFailureTest {
  static final class Ledger {
    final AtomicInteger writes = new AtomicInteger();

    @Idempotent(keyExpr = "#p0")
    String write(String key) {
      return "entry-" + writes.incrementAndGet();
    }
  }

  private final RecordingStore store = new RecordingStore(true);
  private final Ledger ledger = new Ledger();
  private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();

  @Test
  void storeDownFailsClosedWithoutRunningTheBody() {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).listener(events::add).build());
    store.down = true;
    IdempotencyStoreException e =
        assertThrows(IdempotencyStoreException.class, () -> calls.call(ledger, "write", "k"));
    assertTrue(
        e.getMessage().contains("the store failed to acquire the key, so the body did not run"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Ledger.write(String)"), e.getMessage());
    assertEquals(IllegalStateException.class, e.getCause().getClass());
    assertEquals(0, ledger.writes.get());
    assertTrue(events.stream().anyMatch(ev -> ev.type() == IdempotencyEvent.Type.STORE_FAILURE));
  }

  @Test
  void storeBackAfterAnOutageProtectsAgain() throws Throwable {
    Calls calls = new Calls(IdempotencyEngine.builder().store(store).build());
    store.down = true;
    assertThrows(IdempotencyStoreException.class, () -> calls.call(ledger, "write", "k"));
    store.down = false;
    assertEquals("entry-1", calls.call(ledger, "write", "k"));
    assertEquals("entry-1", calls.call(ledger, "write", "k"));
    assertEquals(1, ledger.writes.get());
  }

  @Test
  void failOpenRunsTheBodyUnprotectedAndReportsIt() throws Throwable {
    Calls calls =
        new Calls(
            IdempotencyEngine.builder().store(store).failOpen(true).listener(events::add).build());
    store.down = true;
    assertEquals("entry-1", calls.call(ledger, "write", "k"));
    assertEquals("entry-2", calls.call(ledger, "write", "k"), "unprotected: it runs again");
    assertEquals(
        2, events.stream().filter(ev -> ev.type() == IdempotencyEvent.Type.FAIL_OPEN).count());
    IdempotencyEvent failOpen =
        events.stream()
            .filter(ev -> ev.type() == IdempotencyEvent.Type.FAIL_OPEN)
            .findFirst()
            .get();
    assertTrue(failOpen.failure().getMessage().contains("connection refused"));
  }

  @Test
  void storeFailingAfterTheBodyRanStillReturnsTheResult() throws Throwable {
    FailingCompleteStore flaky = new FailingCompleteStore();
    Calls calls = new Calls(IdempotencyEngine.builder().store(flaky).listener(events::add).build());
    assertEquals("entry-1", calls.call(ledger, "write", "k"));
    assertTrue(events.stream().anyMatch(ev -> ev.type() == IdempotencyEvent.Type.STORE_FAILURE));
  }

  /** Acquires normally, then fails to complete: the body has already run when it fails. */
  static final class FailingCompleteStore implements dev.idempotent.store.IdempotencyStore {
    private final RecordingStore delegate = new RecordingStore(true);

    @Override
    public dev.idempotent.store.Acquisition acquire(
        dev.idempotent.store.IdempotencyKey key, String fingerprint, java.time.Duration lease) {
      return delegate.acquire(key, fingerprint, lease);
    }

    @Override
    public boolean complete(
        dev.idempotent.store.IdempotencyKey key,
        String token,
        dev.idempotent.store.Outcome outcome,
        java.time.Duration ttl) {
      throw new IllegalStateException("timeout writing the outcome");
    }

    @Override
    public boolean release(dev.idempotent.store.IdempotencyKey key, String token) {
      return delegate.release(key, token);
    }

    @Override
    public boolean renew(
        dev.idempotent.store.IdempotencyKey key, String token, java.time.Duration lease) {
      return delegate.renew(key, token, lease);
    }
  }
}
