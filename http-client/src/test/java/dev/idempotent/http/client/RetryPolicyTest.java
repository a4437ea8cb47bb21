package dev.idempotent.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RetryPolicyTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    RetryPolicy policy = RetryPolicy.defaults();

    assertEquals(4, policy.maxAttempts());
    assertEquals(Duration.ofMillis(100), policy.initialDelay());
    assertEquals(Duration.ofSeconds(5), policy.maxDelay());
    assertEquals(Duration.ofSeconds(30), policy.deadline());
    assertEquals(Set.of(408, 409, 425, 429, 500, 502, 503, 504), policy.retryableStatuses());
    assertEquals(Set.of("POST", "PATCH"), policy.keyedMethods());
    assertTrue(policy.honourRetryAfter());
  }

  @Test
  void toBuilderChangesOnlyWhatIsSet() {
    RetryPolicy changed = RetryPolicy.defaults().toBuilder().maxAttempts(2).build();

    assertEquals(2, changed.maxAttempts());
    assertEquals(RetryPolicy.defaults().deadline(), changed.deadline());
    assertNotEquals(RetryPolicy.defaults(), changed);
    assertEquals(changed, changed.toBuilder().build());
    assertEquals(changed.hashCode(), changed.toBuilder().build().hashCode());
  }

  @Test
  void statusesAndMethodsAreCopied() {
    java.util.List<Integer> statuses = new java.util.ArrayList<>(java.util.List.of(503));
    RetryPolicy policy = RetryPolicy.builder().retryableStatuses(statuses).build();
    statuses.add(500);

    assertEquals(Set.of(503), policy.retryableStatuses());
    assertThrows(UnsupportedOperationException.class, () -> policy.retryableStatuses().add(1));
  }

  @Test
  void wrongSettingsNameTheSettingTheValueAndTheFix() {
    assertMessage(
        () -> RetryPolicy.builder().maxAttempts(0),
        "RetryPolicy.Builder.maxAttempts: 0 is not allowed; give 1");
    assertMessage(
        () -> RetryPolicy.builder().deadline(Duration.ZERO),
        "RetryPolicy.Builder.deadline: PT0S is not allowed; give a positive duration");
    assertMessage(
        () -> RetryPolicy.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)),
        "maxDelay PT1S is shorter than initialDelay PT2S");
    assertMessage(
        () -> RetryPolicy.builder().retryableStatuses(503, 200),
        "RetryPolicy.Builder.retryableStatuses: 200 is not allowed");
    assertMessage(
        () -> RetryPolicy.builder().keyedMethods("POST", "NOT A METHOD"),
        "\"NOT A METHOD\" is not an HTTP method name");
  }

  private static void assertMessage(Executable call, String expected) {
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, call);
    assertTrue(thrown.getMessage().contains(expected), thrown.getMessage());
  }
}
