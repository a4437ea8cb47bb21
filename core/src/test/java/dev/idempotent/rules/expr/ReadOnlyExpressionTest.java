package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * "An expression can only read": a getter that a JDK type declares (inherited, or overridden by the
 * application) is not a property unless it is on the allow-list, so {@code #box.andIncrement} on a
 * class extending {@code AtomicLong} is a definition error naming the method and its class, while
 * the application's own getters on the same class are read.
 */
class ReadOnlyExpressionTest {

  /** Extends a JDK class whose getter-named methods write. */
  public static class CounterBox extends AtomicLong {
    public String getLabel() {
      return "box";
    }
  }

  /** Overrides a JDK getter: still the JDK's contract, so still refused. */
  public static class Declined extends RuntimeException {
    @Override
    public String getMessage() {
      return "declined";
    }

    public String getCode() {
      return "card-declined";
    }
  }

  /** Inherits JDK getters that read a queue. */
  public static class Feed extends ArrayDeque<String> {}

  /** A principal: its JDK getter is on the allow-list. */
  public interface AppUser extends Principal {
    String getTenant();
  }

  @SuppressWarnings("unused")
  static final class Fixture {
    final AtomicInteger runs = new AtomicInteger();

    @Idempotent(keyExpr = "#box.andIncrement")
    String count(CounterBox box) {
      return "ran-" + runs.incrementAndGet();
    }

    void declined(Declined declined) {}

    void feed(Feed feed) {}

    void user(AppUser user) {}
  }

  private static Method method(String name) {
    return Arrays.stream(Fixture.class.getDeclaredMethods())
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String problem(String method, String expression) {
    return assertThrows(
            IdempotencyDefinitionException.class,
            () -> KeyExpression.compile(method(method), expression))
        .getMessage();
  }

  @Test
  void getAndIncrementInheritedFromAtomicLongIsRefusedNamingTheMethodAndItsClass() {
    String message = problem("count", "#box.andIncrement");
    assertTrue(
        message.endsWith(
            ": property 'andIncrement' at column 6 of '#box' (type CounterBox) would call"
                + " getAndIncrement() of java.util.concurrent.atomic.AtomicLong; a key expression"
                + " only reads, so getters that the JDK declares are not properties (many change"
                + " or compute what they return, such as getAndIncrement() or getInputStream());"
                + " read a getter or field that CounterBox declares itself."),
        message);
    for (String other : new String[] {"andDecrement", "plain", "opaque", "acquire"}) {
      assertTrue(problem("count", "#box." + other).contains("of java.util.concurrent.atomic"));
    }
  }

  @Test
  void jdkGetterOverriddenByTheApplicationIsStillRefused() {
    assertTrue(
        problem("declined", "#declined.message")
            .contains("would call getMessage() of java.lang.Throwable"));
    assertTrue(
        problem("declined", "#declined.stackTrace")
            .contains("would call getStackTrace() of java.lang.Throwable"));
  }

  @Test
  void queueGettersOfAJdkCollectionAreRefused() {
    assertTrue(problem("feed", "#feed.first").contains("would call getFirst() of java.util."));
    assertTrue(problem("feed", "#feed.empty").contains("would call isEmpty() of java.util."));
  }

  @Test
  void ownGettersOfASubclassOfAJdkTypeAreRead() {
    CounterBox box = new CounterBox();
    assertEquals(
        "box", KeyExpression.compile(method("count"), "#box.label").evaluate(new Object[] {box}));
    assertEquals(0, box.get());
    assertEquals(
        "card-declined",
        KeyExpression.compile(method("declined"), "#declined.code")
            .evaluate(new Object[] {new Declined()}));
  }

  @Test
  void principalNameIsOnTheAllowList() {
    AppUser user =
        new AppUser() {
          @Override
          public String getName() {
            return "ada";
          }

          @Override
          public String getTenant() {
            return "t1";
          }
        };
    assertEquals(
        "ada:t1",
        KeyExpression.compile(method("user"), "#user.name + ':' + #user.tenant")
            .evaluate(new Object[] {user}));
  }

  @Test
  void twoCallsWithTheSameCounterNeitherChangeItNorRunTheBody() throws Throwable {
    IdempotencyEngine engine = IdempotencyEngine.builder().build();
    Fixture fixture = new Fixture();
    CounterBox box = new CounterBox();
    Method count = method("count");
    for (int call = 0; call < 2; call++) {
      IdempotencyDefinitionException refused =
          assertThrows(
              IdempotencyDefinitionException.class,
              () -> engine.invoke(count, new Object[] {box}, () -> fixture.count(box)));
      assertTrue(refused.getMessage().contains("getAndIncrement()"), refused.getMessage());
    }
    assertEquals(0, box.get(), "the expression never ran getAndIncrement()");
    assertEquals(0, fixture.runs.get());
  }
}
