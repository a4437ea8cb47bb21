package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.idempotent.IdempotencyKeyException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a key expression reports when the arguments of one call do not yield a key. */
class KeyExpressionRuntimeErrorTest {

  record Customer(String id) {}

  record ChargeCommand(String id, Customer customer) {}

  static final class PricedOrder {
    private final IllegalStateException failure;

    PricedOrder(IllegalStateException failure) {
      this.failure = failure;
    }

    public long getTotal() {
      throw failure;
    }

    @Override
    public String toString() {
      return "order";
    }
  }

  @SuppressWarnings("unused")
  static final class Payments {
    void charge(ChargeCommand cmd) {}

    void transfer(String tenant, ChargeCommand cmd) {}

    void lookup(List<String> items, String[] codes, Map<String, String> attrs) {}

    void price(PricedOrder order) {}
  }

  private static final String PAYMENTS = Payments.class.getName();

  private static Method method(String name) {
    return Arrays.stream(Payments.class.getDeclaredMethods())
        .filter(method -> method.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static IdempotencyKeyException failure(String method, String expression, Object... args) {
    KeyExpression compiled = KeyExpression.compile(method(method), expression);
    return assertThrows(IdempotencyKeyException.class, () -> compiled.evaluate(args));
  }

  @Test
  void nullParameterIsNamed() {
    IdempotencyKeyException error = failure("charge", "#cmd.customer.id", (Object) null);
    assertEquals(
        "key expression '#cmd.customer.id' of "
            + PAYMENTS
            + ".charge(ChargeCommand) met null at '#cmd'; the body did not run.",
        error.getMessage());
  }

  @Test
  void nullInTheMiddleOfThePathIsNamed() {
    IdempotencyKeyException error =
        failure("charge", "#cmd.customer.id", new ChargeCommand("c-1", null));
    assertEquals(
        "key expression '#cmd.customer.id' of "
            + PAYMENTS
            + ".charge(ChargeCommand) met null at '#cmd.customer'; the body did not run.",
        error.getMessage());
    assertNull(error.getCause());
  }

  @Test
  void nullFinalValueIsNamed() {
    IdempotencyKeyException error =
        failure("charge", "#cmd.customer.id", new ChargeCommand("c-1", new Customer(null)));
    assertEquals(
        "key expression '#cmd.customer.id' of "
            + PAYMENTS
            + ".charge(ChargeCommand) met null at '#cmd.customer.id'; the body did not run.",
        error.getMessage());
  }

  @Test
  void nullInALaterPartNamesTheWholeExpression() {
    IdempotencyKeyException error =
        failure("transfer", "#tenant + ':' + #p1.id", "acme", new ChargeCommand(null, null));
    assertEquals(
        "key expression '#tenant + ':' + #p1.id' of "
            + PAYMENTS
            + ".transfer(String, ChargeCommand) met null at '#p1.id'; the body did not run.",
        error.getMessage());
  }

  @Test
  void listIndexOutOfRange() {
    IdempotencyKeyException error =
        failure("lookup", "#items[2]", List.of("a", "b"), new String[0], Map.of());
    assertEquals(
        "key expression '#items[2]' of "
            + PAYMENTS
            + ".lookup(List, String[], Map) found no element [2] in '#items', which has 2"
            + " elements; the body did not run.",
        error.getMessage());
  }

  @Test
  void arrayIndexOutOfRange() {
    IdempotencyKeyException error =
        failure("lookup", "#codes[1]", List.of(), new String[] {"x"}, Map.of());
    assertEquals(
        "key expression '#codes[1]' of "
            + PAYMENTS
            + ".lookup(List, String[], Map) found no element [1] in '#codes', which has 1"
            + " element; the body did not run.",
        error.getMessage());
  }

  @Test
  void missingMapKey() {
    IdempotencyKeyException error =
        failure("lookup", "#attrs['tenant']", List.of(), new String[0], Map.of("region", "eu"));
    assertEquals(
        "key expression '#attrs['tenant']' of "
            + PAYMENTS
            + ".lookup(List, String[], Map) found no key 'tenant' in '#attrs'; the body did not"
            + " run.",
        error.getMessage());
  }

  @Test
  void mapKeyWithANullValueIsANullNotAMissingKey() {
    Map<String, String> attrs = new HashMap<>();
    attrs.put("tenant", null);
    IdempotencyKeyException error =
        failure("lookup", "#attrs['tenant']", List.of(), new String[0], attrs);
    assertEquals(
        "key expression '#attrs['tenant']' of "
            + PAYMENTS
            + ".lookup(List, String[], Map) met null at '#attrs['tenant']'; the body did not run.",
        error.getMessage());
  }

  @Test
  void throwingGetterIsWrappedWithItsCause() {
    IllegalStateException boom = new IllegalStateException("not priced yet");
    IdempotencyKeyException error = failure("price", "#order.total", new PricedOrder(boom));
    assertEquals(
        "key expression '#order.total' of "
            + PAYMENTS
            + ".price(PricedOrder) could not read '#order.total': getTotal() threw"
            + " IllegalStateException: not priced yet; the body did not run.",
        error.getMessage());
    assertSame(boom, error.getCause());
  }

  @Test
  void elementsPresentAfterAFailureAreReadNormally() {
    KeyExpression compiled = KeyExpression.compile(method("lookup"), "#items[1]");
    assertThrows(
        IdempotencyKeyException.class,
        () -> compiled.evaluate(new Object[] {List.of("a"), null, null}));
    assertEquals("b", compiled.evaluate(new Object[] {List.of("a", "b"), null, null}));
  }
}
