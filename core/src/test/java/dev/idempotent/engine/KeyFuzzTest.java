package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyKeyException;
import dev.idempotent.Idempotent;
import dev.idempotent.IdempotentOperation;
import dev.idempotent.rules.expr.KeyExpression;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated key expressions against a few parameter types, and random key values (unpaired
 * surrogates, control characters, huge strings, odd numbers) through the engine: whatever comes in,
 * the only exceptions that escape are the documented {@link IdempotencyDefinitionException} (for an
 * expression) and {@link IdempotencyKeyException} (for a value); never a NullPointerException, an
 * IllegalArgumentException, an OutOfMemoryError or a StackOverflowError.
 *
 * <p>Each run uses a fixed seed and one random seed, and each part stops after a fixed number of
 * cases or a time budget, whichever comes first; a failure names the seed and the input, so {@code
 * -Dfuzz.seed=<seed>} replays it and {@code -Dfuzz.cases=<n>} runs longer.
 */
class KeyFuzzTest {
  private static final long FIXED_SEED = 20261130L;
  private static final int CASES = Integer.getInteger("fuzz.cases", 3_000);
  private static final long BUDGET_NANOS = 1_000_000_000L;

  /** Cases run whatever the time budget says, so that a loaded machine still tests something. */
  private static final int MIN_CASES = 200;

  public record Customer(String id, String name) {}

  public record Line(String sku, int quantity, BigDecimal price) {}

  public record Node(String id, Node inner, List<Node> children) {}

  /** A class whose JDK getters write. */
  public static class CounterBox extends AtomicLong {
    public String getLabel() {
      return "box";
    }
  }

  public record Order(
      String id,
      Customer customer,
      List<Line> lines,
      Map<String, String> attrs,
      Map<Integer, Customer> byNumber,
      int[] codes,
      Node node,
      CounterBox box,
      double ratio,
      BigInteger big) {}

  @SuppressWarnings("unused")
  static final class Fixture {
    void target(Order order, String tenant, List<String> tags, Map<String, Integer> counts) {}

    @Idempotent(keyExpr = "#key")
    String byKey(String key) {
      return "k";
    }

    @Idempotent(keyExpr = "#amount + ':' + #ratio + ':' + #big")
    String byNumbers(BigDecimal amount, Double ratio, BigInteger big) {
      return "n";
    }

    @Idempotent
    String byAllArguments(String text, BigDecimal amount, Double ratio) {
      return "a";
    }
  }

  private static final String[] WORDS = {
    "order",
    "tenant",
    "tags",
    "counts",
    "p0",
    "p1",
    "p4",
    "a2",
    "args",
    "id",
    "customer",
    "name",
    "lines",
    "sku",
    "quantity",
    "price",
    "attrs",
    "byNumber",
    "codes",
    "node",
    "inner",
    "children",
    "box",
    "label",
    "andIncrement",
    "plain",
    "ratio",
    "big",
    "getId",
    "class",
    "T",
    "new",
    "x"
  };

  private static final String[] TOKENS = {
    "#",
    ".",
    "[",
    "]",
    "'",
    "''",
    "+",
    " ",
    "(",
    ")",
    "?.",
    "==",
    "0",
    "7",
    "2147483648",
    "99999999999",
    "-1",
    "\"",
    "\\",
    "\t",
    "\u00E9",
    "\uD800",
    "\uDC00",
    "\uD83D\uDE00",
    "\0",
    "#root",
    "T(java.lang.Runtime)",
    "@bean",
    "!",
    "*",
    ",",
    "{",
    "}",
    "$",
    "_"
  };

  private final Fixture fixture = new Fixture();

  @Test
  void randomAndMutatedExpressionsOnlyEverFailAsDefinitionOrKeyErrors() {
    forEachSeed(this::expressions);
  }

  @Test
  void randomKeyValuesOnlyEverFailAsKeyErrors() {
    forEachSeed(this::values);
  }

  private static void forEachSeed(SeededRun run) {
    long random = Long.getLong("fuzz.seed", new Random().nextLong());
    for (long seed : new long[] {FIXED_SEED, random}) {
      try {
        run.run(seed);
      } catch (AssertionError e) {
        throw new AssertionError("fuzz seed " + seed + " (-Dfuzz.seed=" + seed + "): " + e, e);
      }
    }
  }

  @FunctionalInterface
  private interface SeededRun {
    void run(long seed);
  }

  private void expressions(long seed) {
    Random random = new Random(seed);
    Method target = Calls.find(Fixture.class, "target");
    long deadline = System.nanoTime() + BUDGET_NANOS;
    int compiled = 0;
    for (int i = 0; i < CASES && (i < MIN_CASES || System.nanoTime() < deadline); i++) {
      String expression = random.nextInt(3) == 0 ? mutate(random, valid(random)) : valid(random);
      if (random.nextInt(50) == 0) {
        expression = expression.repeat(1 + random.nextInt(2_000));
      }
      if (expression.isEmpty()) {
        continue;
      }
      KeyExpression key;
      try {
        key = KeyExpression.compile(target, expression);
      } catch (IdempotencyDefinitionException expected) {
        continue;
      } catch (Throwable e) {
        throw unexpected("compiling", expression, e);
      }
      compiled++;
      for (int round = 0; round < 3; round++) {
        Object[] args = arguments(random);
        try {
          key.evaluate(args);
        } catch (IdempotencyKeyException expected) {
          // a null, a missing element or key on the path
        } catch (Throwable e) {
          throw unexpected("evaluating", expression, e);
        }
      }
    }
    assertTrue(compiled > 0, "some random expressions are valid, seed " + seed);
  }

  private void values(long seed) {
    Random random = new Random(seed);
    long deadline = System.nanoTime() + BUDGET_NANOS;
    List<Calls> engines = new ArrayList<>();
    List<IdempotentOperation<String>> operations = new ArrayList<>();
    for (boolean hashKeys : new boolean[] {false, true}) {
      for (boolean keepsObjects : new boolean[] {false, true}) {
        IdempotencyEngine engine =
            IdempotencyEngine.builder()
                .store(new RecordingStore(keepsObjects))
                .hashKeys(hashKeys)
                .scope(() -> "tenant-" + hashKeys)
                .build();
        engines.add(new Calls(engine));
        operations.add(engine.operation("fuzz.values", String.class).build());
      }
    }
    for (int i = 0; i < CASES && (i < MIN_CASES || System.nanoTime() < deadline); i++) {
      String text = text(random);
      BigDecimal amount = decimal(random);
      Double ratio = oddDouble(random);
      BigInteger big = random.nextInt(4) == 0 ? null : BigInteger.TEN.pow(random.nextInt(3_000));
      Calls calls = engines.get(random.nextInt(engines.size()));
      IdempotentOperation<String> operation = operations.get(random.nextInt(operations.size()));
      call(text, () -> calls.call(fixture, "byKey", text));
      call(text, () -> calls.call(fixture, "byNumbers", amount, ratio, big));
      call(text, () -> calls.call(fixture, "byAllArguments", text, amount, ratio));
      call(text, () -> operation.execute(text, () -> "op"));
      call(text, () -> operation.execute(text, text, () -> "op"));
    }
  }

  @FunctionalInterface
  private interface Call {
    Object run() throws Throwable;
  }

  private static void call(String input, Call call) {
    try {
      call.run();
    } catch (IdempotencyKeyException expected) {
      // an unpaired surrogate, or a null key
    } catch (Throwable e) {
      throw unexpected("calling with", input, e);
    }
  }

  private static AssertionError unexpected(String what, String input, Throwable e) {
    return new AssertionError(
        what
            + " "
            + printable(input)
            + " threw "
            + e.getClass().getName()
            + ", which is not a documented exception",
        e);
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(text.length(), 200);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return out.append(text.length() > shown ? "…\" (" + text.length() + " chars)" : "\"")
        .toString();
  }

  /** An expression the grammar accepts, naming parameters and properties that may or may not be. */
  private static String valid(Random random) {
    int terms = 1 + random.nextInt(3);
    StringBuilder out = new StringBuilder();
    for (int t = 0; t < terms; t++) {
      if (t > 0) {
        out.append(random.nextBoolean() ? " + " : "+");
      }
      switch (random.nextInt(5)) {
        case 0 -> out.append('\'').append(word(random)).append('\'');
        case 1 -> out.append(random.nextInt(1_000));
        default -> {
          out.append('#').append(word(random));
          int steps = random.nextInt(random.nextInt(10) == 0 ? 40 : 5);
          for (int s = 0; s < steps; s++) {
            switch (random.nextInt(4)) {
              case 0 -> out.append('[').append(random.nextInt(3)).append(']');
              case 1 -> out.append("['").append(word(random)).append("']");
              default -> out.append('.').append(word(random));
            }
          }
        }
      }
    }
    return out.toString();
  }

  private static String word(Random random) {
    return WORDS[random.nextInt(WORDS.length)];
  }

  private static String mutate(Random random, String expression) {
    StringBuilder out = new StringBuilder(expression);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = out.length() == 0 ? 0 : random.nextInt(out.length() + 1);
      switch (random.nextInt(3)) {
        case 0 -> out.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
        case 1 -> {
          if (at < out.length()) {
            out.deleteCharAt(at);
          }
        }
        default -> {
          if (at < out.length()) {
            out.setCharAt(at, (char) random.nextInt(0x10000));
          }
        }
      }
    }
    return out.toString();
  }

  private static Object[] arguments(Random random) {
    Customer customer = random.nextInt(5) == 0 ? null : new Customer(text(random), null);
    List<Line> lines = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      lines.add(random.nextInt(4) == 0 ? null : new Line(text(random), i, decimal(random)));
    }
    Map<String, String> attrs = new HashMap<>();
    attrs.put("tenant", random.nextBoolean() ? null : text(random));
    Map<Integer, Customer> byNumber = new HashMap<>();
    byNumber.put(random.nextInt(3), customer);
    Node node = new Node(text(random), new Node(null, null, List.of()), null);
    CounterBox box = new CounterBox();
    Order order =
        random.nextInt(6) == 0
            ? null
            : new Order(
                text(random),
                customer,
                lines,
                attrs,
                byNumber,
                random.nextBoolean() ? new int[] {1} : new int[0],
                node,
                box,
                oddDouble(random),
                BigInteger.valueOf(random.nextLong()));
    List<String> tags = random.nextBoolean() ? List.of() : Arrays.asList(text(random), null);
    Map<String, Integer> counts = random.nextBoolean() ? Map.of() : Map.of("x", 1);
    return new Object[] {order, random.nextInt(8) == 0 ? null : text(random), tags, counts};
  }

  /** Text of every kind: empty, huge, control characters, NUL, unpaired and paired surrogates. */
  private static String text(Random random) {
    int kind = random.nextInt(10);
    if (kind == 0) {
      return "";
    }
    int length =
        kind == 1 ? 50_000 + random.nextInt(100_000) : 1 + random.nextInt(kind == 2 ? 300 : 12);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(8)) {
        case 0 -> out.append((char) random.nextInt(0x20));
        case 1 -> out.append((char) (0xD800 + random.nextInt(0x800)));
        case 2 -> out.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
        case 3 -> out.append((char) random.nextInt(0x10000));
        case 4 -> out.append('?');
        default -> out.append((char) ('a' + random.nextInt(26)));
      }
    }
    return out.toString();
  }

  private static BigDecimal decimal(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> null;
      case 1 -> new BigDecimal("1E+999999999");
      case 2 -> new BigDecimal("-0.000");
      case 3 -> new BigDecimal(BigInteger.TEN.pow(2_000), random.nextInt(4_000) - 2_000);
      default -> BigDecimal.valueOf(random.nextLong(), random.nextInt(20) - 10);
    };
  }

  private static Double oddDouble(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> Double.NaN;
      case 1 -> Double.NEGATIVE_INFINITY;
      case 2 -> -0.0;
      case 3 -> Double.MIN_VALUE;
      case 4 -> Double.MAX_VALUE;
      default -> random.nextDouble() * Math.pow(10, random.nextInt(600) - 300);
    };
  }
}
