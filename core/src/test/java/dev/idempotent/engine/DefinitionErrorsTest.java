package dev.idempotent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.IdempotencyEngine;
import dev.idempotent.Idempotent;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mistake in an annotation outside the key expression (which has its own suite) fails with a
 * message that names the class, the method, the attribute and what would be right.
 */
class DefinitionErrorsTest {

  public static class NoStringConstructor extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoStringConstructor(int code) {
      super("code " + code);
    }
  }

  public interface Shape {}

  /** Nothing Jackson can write: no getters, no public fields. */
  public static final class NoProperties {
    private final String secret = "s";

    @Override
    public String toString() {
      return secret;
    }
  }

  /** Properties, but no constructor Jackson can call: its parameters have no names for it. */
  public static final class NoCreator {
    private final String id;

    public NoCreator(String id, int unused) {
      this.id = id;
    }

    public String getId() {
      return id;
    }
  }

  /** Writes a derived property that no setter, field or constructor parameter reads back. */
  public record WithDerivedGetter(String id, int amount) {
    public int getDoubled() {
      return amount * 2;
    }
  }

  /** Holds a value of a type that has no properties. */
  public record Nested(String id, List<NoProperties> parts) {}

  /** A CompletionStage that is not a CompletableFuture: its replay could not be built. */
  abstract static class CustomStage<T> extends CompletableFuture<T> {}

  abstract static class Broken {
    @Idempotent(ttl = "24 hours")
    void ttlWithWords(String k) {}

    @Idempotent(ttl = "0s")
    void ttlZero(String k) {}

    @Idempotent(ttl = "-PT1H")
    void ttlNegative(String k) {}

    @Idempotent(ttl = "PT")
    void ttlBadIso(String k) {}

    @Idempotent(ttl = "99999999999999999999d")
    void ttlTooLarge(String k) {}

    @Idempotent(lease = "5 min")
    void leaseWithWords(String k) {}

    @Idempotent(waitTimeout = "soon")
    void waitTimeoutWord(String k) {}

    @Idempotent(ttl = "10y")
    void ttlUnknownUnit(String k) {}

    @Idempotent(namespace = "   ")
    void blankNamespace(String k) {}

    @Idempotent
    abstract String abstractMethod(String k);

    void notAnnotated(String k) {}

    @Idempotent
    Stream<String> returnsStream(String k) {
      return Stream.empty();
    }

    @Idempotent
    Iterator<String> returnsIterator(String k) {
      return List.<String>of().iterator();
    }

    @Idempotent
    Future<String> returnsFuture(String k) {
      return null;
    }

    @Idempotent
    InputStream returnsInputStream(String k) {
      return null;
    }

    @Idempotent
    CustomStage<String> returnsCustomStage(String k) {
      return null;
    }

    @Idempotent
    String fingerprintsAFunction(String k, Supplier<String> callback) {
      return k;
    }

    @Idempotent(keyExpr = "#p0")
    String validatesAStream(String k, InputStream body) {
      return k;
    }

    @Idempotent(keyExpr = "#p0")
    Class<?> classResult(String k) {
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    CompletableFuture<Class<?>> asyncClassResult(String k) {
      return null;
    }
  }

  abstract static class BrokenForSerializingStores {
    @Idempotent(keyExpr = "#p0", recordExceptions = NoStringConstructor.class)
    String recordsUnbuildableException(String k) {
      return k;
    }

    @Idempotent(keyExpr = "#p0")
    <T> T genericResult(String k) {
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    Object objectResult(String k) {
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    Shape interfaceResult(String k) {
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    CompletableFuture<List<Shape>> asyncListOfInterfaces(String k) {
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    NoProperties noProperties(String k) {
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    Optional<NoCreator> noCreator(String k) {
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    WithDerivedGetter derivedGetter(String k) {
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    Nested nestedNoProperties(String k) {
      return null;
    }

    @Idempotent(keyExpr = "#p0")
    List<Class<?>> listOfClasses(String k) {
      return null;
    }
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        error(
            "ttlWithWords",
            "@Idempotent(ttl = \"24 hours\")",
            "not a duration; expected a positive whole number with a unit (ms, s, m, h, d)"),
        error("ttlZero", "@Idempotent(ttl = \"0s\")", "the duration must be positive"),
        error("ttlNegative", "@Idempotent(ttl = \"-PT1H\")", "the duration must be positive"),
        error("ttlBadIso", "@Idempotent(ttl = \"PT\")", "not a valid ISO-8601 duration"),
        error(
            "ttlTooLarge",
            "@Idempotent(ttl = \"99999999999999999999d\")",
            "the number is too large"),
        error(
            "leaseWithWords",
            "@Idempotent(lease = \"5 min\")",
            "such as \"500ms\", \"10s\", \"30m\""),
        error("waitTimeoutWord", "@Idempotent(waitTimeout = \"soon\")", "not a duration"),
        error("ttlUnknownUnit", "@Idempotent(ttl = \"10y\")", "a unit (ms, s, m, h, d)"),
        error(
            "blankNamespace",
            "@Idempotent(namespace = \"   \")",
            "leave it out to use the class and method"),
        error(
            "abstractMethod",
            "@Idempotent on",
            "put @Idempotent on the method of the class that implements it"),
        error("notAnnotated", "@Idempotent on", "not annotated with @Idempotent"),
        error(
            "returnsStream",
            "return type java.util.stream.Stream cannot be recorded",
            "supported are plain values, void, Optional<T>, CompletionStage<T> and CompletableFuture<T>"),
        error(
            "returnsIterator",
            "return type java.util.Iterator cannot be recorded",
            "consumed only once"),
        error(
            "returnsFuture",
            "return type java.util.concurrent.Future cannot be recorded",
            "CompletableFuture<T>"),
        error(
            "returnsInputStream",
            "return type java.io.InputStream cannot be recorded",
            "Optional<T>"),
        error("returnsCustomStage", "CustomStage cannot be recorded", "CompletionStage<T>"),
        error(
            "fingerprintsAFunction",
            "@Idempotent(keyExpr = \"\")",
            "parameter 'callback' (#p1) of type java.util.function.Supplier cannot be part of the argument fingerprint: it is a function"),
        error(
            "classResult",
            "the result type java.lang.Class<?> cannot be recorded and replayed",
            "would let a stored record name a class to load"),
        error(
            "asyncClassResult",
            "the result type java.lang.Class<?> cannot be recorded and replayed",
            "return the class's name as a String"),
        error(
            "validatesAStream",
            "@Idempotent(validatePayload = \"true\")",
            "parameter 'body' (#p1) of type java.io.InputStream cannot be part of the argument fingerprint; Mark the parameter @ExcludeFromFingerprint, or set validatePayload = false."));
  }

  static Stream<Arguments> mistakesForSerializingStores() {
    return Stream.of(
        error(
            "recordsUnbuildableException",
            "@Idempotent(recordExceptions = \"NoStringConstructor.class\")",
            "has no public constructor taking (String) or ()"),
        error(
            "genericResult",
            "the result type T cannot be recorded and replayed",
            "declare a concrete result type"),
        error(
            "objectResult",
            "the result type java.lang.Object cannot be recorded and replayed",
            "Object says nothing of what to build"),
        error(
            "interfaceResult",
            "DefinitionErrorsTest$Shape) is abstract, with no known concrete type",
            "Return a record"),
        error(
            "asyncListOfInterfaces",
            "java.util.List<dev.idempotent.engine.DefinitionErrorsTest$Shape>'s elements",
            "DefinitionErrorsTest$Shape) is abstract, with no known concrete type"));
  }

  static Stream<Arguments> resultsTheCodecCannotWriteOrReadBack() {
    return Stream.of(
        error(
            "noProperties",
            "DefinitionErrorsTest$NoProperties) has no properties Jackson can write",
            "Give it getters, public fields or record components"),
        error(
            "noCreator",
            "DefinitionErrorsTest$NoCreator) is not buildable",
            "finds no constructor or factory to build it"),
        error(
            "derivedGetter",
            "DefinitionErrorsTest$WithDerivedGetter) writes property 'doubled' but cannot read it",
            "Mark the getter @JsonIgnore"),
        error(
            "nestedNoProperties",
            "Nested.parts's elements (dev.idempotent.engine.DefinitionErrorsTest$NoProperties)",
            "has no properties Jackson can write"),
        error(
            "listOfClasses",
            "java.util.List<java.lang.Class<?>> cannot be recorded",
            "would let a stored record name a class to load"));
  }

  private static Arguments error(String method, String... fragments) {
    return Arguments.of(method, List.of(fragments));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void annotationMistakeIsReportedWithClassMethodAndAttribute(
      String method, List<String> fragments) {
    assertDefinitionError(IdempotencyEngine.builder().build(), Broken.class, method, fragments);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakesForSerializingStores")
  void resultThatAStoreCannotDecodeIsReportedAtDefinition(String method, List<String> fragments) {
    IdempotencyEngine engine = IdempotencyEngine.builder().store(new RecordingStore(false)).build();
    assertDefinitionError(engine, BrokenForSerializingStores.class, method, fragments);
  }

  /**
   * Before, these passed {@code check} and failed only after a body had run: the result could not
   * be written (and the record stayed in progress, so a retry ran the body again), or its record
   * could not be read back.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("resultsTheCodecCannotWriteOrReadBack")
  void resultTheCodecCannotWriteOrReadBackIsReportedByCheckBeforeAnyBodyRuns(
      String method, List<String> fragments) {
    IdempotencyEngine engine = IdempotencyEngine.builder().store(new RecordingStore(false)).build();
    assertDefinitionError(engine, BrokenForSerializingStores.class, method, fragments);
  }

  private static void assertDefinitionError(
      IdempotencyEngine engine, Class<?> type, String method, List<String> fragments) {
    IdempotencyDefinitionException e =
        assertThrows(
            IdempotencyDefinitionException.class, () -> engine.check(Calls.find(type, method)));
    String message = e.getMessage();
    assertTrue(message.contains(type.getName() + "." + method + "("), message);
    for (String fragment : fragments) {
      for (String part : fragment.split("; ")) {
        assertTrue(message.contains(part), "expected <" + part + "> in: " + message);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void definitionErrorIsThrownUnwrappedOnTheFirstCallAndTheBodyNeverRuns(
      String method, List<String> fragments) {
    IdempotencyEngine engine = IdempotencyEngine.builder().build();
    java.lang.reflect.Method m = Calls.find(Broken.class, method);
    Object[] args = new Object[m.getParameterCount()];
    args[0] = "k";
    Throwable thrown =
        assertThrows(
            Throwable.class,
            () ->
                engine.invoke(
                    m,
                    args,
                    () -> {
                      throw new AssertionError("the body must not run");
                    }));
    assertEquals(IdempotencyDefinitionException.class, thrown.getClass(), String.valueOf(thrown));
  }
}
