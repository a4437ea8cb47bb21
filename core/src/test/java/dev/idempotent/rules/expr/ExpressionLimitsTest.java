package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import dev.idempotent.rules.expr.CheckedExpression.Hop;
import dev.idempotent.rules.expr.CheckedExpression.Read;
import dev.idempotent.testing.ChildJvm;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An expression is at most {@value ExpressionParser#MAX_LENGTH} characters and a path at most
 * {@value ExpressionParser#MAX_STEPS} steps; past either limit it is a definition error that names
 * the limit, never an {@code OutOfMemoryError} or a {@code StackOverflowError}, and checking keeps
 * one copy of each path however many steps it takes.
 */
class ExpressionLimitsTest {

  /** A record that contains itself, so that a path can go on for as long as it is written. */
  public record Node(String id, Node inner) {}

  private static final String STEPS_10 =
      ".inner.inner.inner.inner.inner.inner.inner.inner.inner.inner";
  private static final String STEPS_100 =
      STEPS_10 + STEPS_10 + STEPS_10 + STEPS_10 + STEPS_10 + STEPS_10 + STEPS_10 + STEPS_10
          + STEPS_10 + STEPS_10;
  private static final String STEPS_1000 =
      STEPS_100 + STEPS_100 + STEPS_100 + STEPS_100 + STEPS_100 + STEPS_100 + STEPS_100 + STEPS_100
          + STEPS_100 + STEPS_100;

  /** {@code #cmd}, 10,832 steps of {@code .inner}, then {@code .id}: 64,999 characters. */
  static final String LONG_PATH =
      "#cmd"
          + STEPS_1000
          + STEPS_1000
          + STEPS_1000
          + STEPS_1000
          + STEPS_1000
          + STEPS_1000
          + STEPS_1000
          + STEPS_1000
          + STEPS_1000
          + STEPS_1000
          + STEPS_100
          + STEPS_100
          + STEPS_100
          + STEPS_100
          + STEPS_100
          + STEPS_100
          + STEPS_100
          + STEPS_100
          + STEPS_10
          + STEPS_10
          + STEPS_10
          + ".inner.inner.id";

  @SuppressWarnings("unused")
  public static final class Fixture {
    @Idempotent(keyExpr = "#cmd.id")
    public void charge(Node cmd) {}

    @Idempotent(keyExpr = LONG_PATH)
    public void deep(Node cmd) {}
  }

  private static Method method(String name) throws NoSuchMethodException {
    return Fixture.class.getMethod(name, Node.class);
  }

  static String path(int steps) {
    return "#cmd" + ".inner".repeat(steps) + ".id";
  }

  @Test
  void pathOf65000CharactersIsADefinitionErrorNamingTheLimit() throws Exception {
    assertEquals(path(10_832), LONG_PATH);
    assertEquals(64_999, LONG_PATH.length());
    IdempotencyDefinitionException refused =
        assertThrows(
            IdempotencyDefinitionException.class,
            () -> IdempotencyEngine.builder().build().check(method("deep")));
    assertTrue(
        refused.getMessage().contains("64999 characters long, longer than the limit of 1000"),
        refused.getMessage());
    assertTrue(
        refused.getMessage().length() < LONG_PATH.length(), "the message does not repeat it all");
  }

  /** The same through {@code engine.check} in a JVM of 256 MB, where the path once ran it out. */
  @Test
  void pathOf65000CharactersIsRefusedCleanlyByEngineCheckWithin256Megabytes() throws Exception {
    try (ChildJvm child = ChildJvm.start(LongPath.class, List.of("-Xmx256m", "-Xss512k"))) {
      String outcome = child.awaitLine(line -> line.startsWith("OUTCOME "), Duration.ofSeconds(60));
      assertTrue(
          outcome.startsWith("OUTCOME IdempotencyDefinitionException")
              && outcome.contains("limit of 1000 characters"),
          outcome);
      assertEquals(0, child.awaitExit(Duration.ofSeconds(30)));
    }
  }

  @Test
  void pathWithMoreStepsThanTheLimitIsADefinitionErrorAtTheFirstStepPastIt() throws Exception {
    String expression = path(ExpressionParser.MAX_STEPS);
    IdempotencyDefinitionException refused =
        assertThrows(
            IdempotencyDefinitionException.class,
            () -> KeyExpression.compile(method("charge"), expression));
    int column = expression.lastIndexOf(".id") + 1;
    assertTrue(
        refused
            .getMessage()
            .contains("takes more than 32 steps at column " + column + ", the limit for one path"),
        refused.getMessage());
    assertEquals("c", compileAndEvaluate(path(ExpressionParser.MAX_STEPS - 1)));
  }

  @Test
  void longestAllowedExpressionKeepsOneCopyOfEachPath() throws Exception {
    // 31 steps of ".inner" and ".id": 32 steps, the most a path may take.
    String one = path(ExpressionParser.MAX_STEPS - 1);
    StringBuilder expression = new StringBuilder(one);
    while (expression.length() + 3 + one.length() <= ExpressionParser.MAX_LENGTH) {
      expression.append(" + ").append(one);
    }
    CheckedExpression<Type> checked =
        ExpressionChecker.check(
            ExpressionParser.parse(expression.toString()),
            ReflectionTypeModel.parametersOf(method("deep")),
            new ReflectionTypeModel());
    for (CheckedExpression.Part<Type> part : checked.parts()) {
      List<Hop<Type>> hops = ((Read<Type>) part).hops();
      assertEquals(ExpressionParser.MAX_STEPS, hops.size());
      for (Hop<Type> hop : hops) {
        assertSame(hops.get(0).written(), hop.written(), "one path text shared by every step");
      }
      assertEquals(one, hops.get(hops.size() - 1).path());
    }
  }

  @Test
  void deeplyNestedGenericTypeIndexedManyTimesIsRefusedCleanly() {
    Type nested = String.class;
    for (int i = 0; i < 2_000; i++) {
      nested = listOf(nested);
    }
    List<ParameterView<Type>> parameters = List.of(new ParameterView<>("p", nested));
    assertProblem("#p" + "[0]".repeat(2_000), parameters, "limit of 1000 characters");
    assertProblem("#p" + "[0]".repeat(33), parameters, "more than 32 steps");
    assertProblem("#p" + "[0]".repeat(32), parameters, "is not a key by itself");
  }

  private static void assertProblem(
      String expression, List<ParameterView<Type>> parameters, String expected) {
    ExpressionProblem problem =
        assertThrows(
            ExpressionProblem.class,
            () ->
                ExpressionChecker.check(
                    ExpressionParser.parse(expression), parameters, new ReflectionTypeModel()));
    assertTrue(problem.getMessage().contains(expected), problem.getMessage());
  }

  @Test
  void nestedGenericTypeIndexedToItsElementIsAKey() {
    Type nested = String.class;
    for (int i = 0; i < 32; i++) {
      nested = listOf(nested);
    }
    CheckedExpression<Type> checked =
        ExpressionChecker.check(
            ExpressionParser.parse("#p" + "[0]".repeat(32)),
            List.of(new ParameterView<>("p", nested)),
            new ReflectionTypeModel());
    assertEquals(TypeModel.Kind.STRING, ((Read<Type>) checked.parts().get(0)).kind());
  }

  private static ParameterizedType listOf(Type element) {
    return new ParameterizedType() {
      @Override
      public Type[] getActualTypeArguments() {
        return new Type[] {element};
      }

      @Override
      public Type getRawType() {
        return List.class;
      }

      @Override
      public Type getOwnerType() {
        return null;
      }
    };
  }

  private static String compileAndEvaluate(String expression) throws Exception {
    Node node = new Node("c", null);
    for (int i = 0; i < ExpressionParser.MAX_STEPS; i++) {
      node = new Node("c", node);
    }
    return KeyExpression.compile(method("charge"), expression).evaluate(new Object[] {node});
  }

  /** Runs {@code engine.check} on a method whose key path is 65,000 characters long. */
  public static final class LongPath {
    public static void main(String[] args) throws Exception {
      String outcome;
      try {
        IdempotencyEngine.builder().build().check(method("deep"));
        outcome = "accepted";
      } catch (Throwable e) {
        outcome = e.getClass().getSimpleName() + " " + String.valueOf(e.getMessage());
      }
      System.out.println("OUTCOME " + outcome.replace('\n', ' '));
    }
  }
}
