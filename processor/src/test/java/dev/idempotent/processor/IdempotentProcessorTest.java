package dev.idempotent.processor;

import static dev.idempotent.processor.Fixture.interfaceMethod;
import static dev.idempotent.processor.Fixture.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.processor.Compilation.Message;
import dev.idempotent.processor.Fixture.Case;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule the engine checks at run time, checked by the processor at compile time: a method that
 * breaks it fails the build with one error on its annotation whose text is exactly what {@code
 * IdempotencyEngine.check} says about the same compiled method, and a method that keeps it compiles
 * without a diagnostic and is accepted by the engine too.
 */
class IdempotentProcessorTest {
  private static final String AT_ANNOTATION = "@Idempotent";

  /** A method that breaks a rule; {@code pointsAt} is the text the error's column points at. */
  record Failing(Case method, String fragment, String pointsAt) {
    @Override
    public String toString() {
      return method.name();
    }
  }

  private static Failing failing(Case method, String fragment, String pointsAt) {
    return new Failing(method, fragment, pointsAt);
  }

  static List<Failing> failing() {
    return List.of(
        // key expressions: syntax, names, properties, indexes, final types
        failing(
            method(
                "keyExprCallsAMethod",
                "@Idempotent(keyExpr = \"#cmd.getId()\")",
                "String %s(Charge cmd) { return cmd.id(); }"),
            "column",
            "\"#cmd.getId()\""),
        failing(
            method(
                "keyExprUnknownParameter",
                "@Idempotent(keyExpr = \"#command.id\")",
                "String %s(Charge cmd) { return cmd.id(); }"),
            "unknown parameter '#command' at column 1; valid are: #cmd, #p0.",
            "\"#command.id\""),
        failing(
            method(
                "keyExprUnknownProperty",
                "@Idempotent(keyExpr = \"#cmd.customerId\")",
                "String %s(Charge cmd) { return cmd.id(); }"),
            "unknown property 'customerId' of Charge at column 6; it has: amount, attrs, byShort,"
                + " customer, id, items.",
            "\"#cmd.customerId\""),
        failing(
            method(
                "keyExprPropertyOfAJdkType",
                "@Idempotent(keyExpr = \"#cmd.id.bytes\")",
                "String %s(Charge cmd) { return cmd.id(); }"),
            "which has no properties",
            "\"#cmd.id.bytes\""),
        failing(
            method(
                "keyExprGetterOfAJdkClass",
                "@Idempotent(keyExpr = \"#uri.host\")",
                "String %s(java.net.URI uri) { return \"\"; }"),
            "property 'host' at column 6 cannot be read from '#uri' of type URI, which has no"
                + " properties; declare it with a type that has the property.",
            "\"#uri.host\""),
        failing(
            method(
                "keyExprBeanWithoutStableText",
                "@Idempotent(keyExpr = \"#account\")",
                "String %s(Account account) { return \"\"; }"),
            "select a property that is a String, number, enum or UUID, such as #account.active,"
                + " #account.number, #account.owner, #account.verified.",
            "\"#account\""),
        failing(
            method(
                "keyExprRecordWithUnstableComponent",
                "@Idempotent(keyExpr = \"#holder\")",
                "String %s(Holder holder) { return \"\"; }"),
            "a record whose component 'account' has type Account",
            "\"#holder\""),
        failing(
            method(
                "keyExprListWithoutIndex",
                "@Idempotent(keyExpr = \"#cmd.items\")",
                "String %s(Charge cmd) { return \"\"; }"),
            "has type List<Item>, which is not a key by itself",
            "\"#cmd.items\""),
        failing(
            method(
                "keyExprIndexIntoAStringKeyedMap",
                "@Idempotent(keyExpr = \"#cmd.attrs[0]\")",
                "String %s(Charge cmd) { return \"\"; }"),
            "use a string key such as #cmd.attrs['name']",
            "\"#cmd.attrs[0]\""),
        failing(
            method(
                "keyExprIndexTooLargeForShortKeys",
                "@Idempotent(keyExpr = \"#cmd.byShort[40000]\")",
                "String %s(Charge cmd) { return \"\"; }"),
            "index [40000] at column 13 does not fit the Short keys of '#cmd.byShort'.",
            "\"#cmd.byShort[40000]\""),
        failing(
            method(
                "keyExprPositionOutOfRange",
                "@Idempotent(keyExpr = \"#p1\")",
                "String %s(Charge cmd) { return \"\"; }"),
            "'#p1' at column 1 is out of range; the method has 1 parameter, #p0.",
            "\"#p1\""),
        failing(
            method(
                "keyExprGenericPropertyResolvedThroughTheSupertype",
                "@Idempotent(keyExpr = \"#envelope.payload.nope\")",
                "String %s(ChargeEnvelope envelope) { return \"\"; }"),
            "unknown property 'nope' of Charge",
            "\"#envelope.payload.nope\""),
        failing(
            method(
                "keyExprBooleanGetterMustReturnABoolean",
                "@Idempotent(keyExpr = \"#account.count\")",
                "String %s(Account account) { return \"\"; }"),
            "unknown property 'count' of Account at column 10; it has: active, number, owner,"
                + " verified.",
            "\"#account.count\""),
        failing(
            method(
                "keyExprBlank",
                "@Idempotent(keyExpr = \"  \")",
                "String %s(Charge cmd) { return \"\"; }"),
            "the expression is blank",
            "\"  \""),
        // durations
        failing(
            method(
                "ttlInWords",
                "@Idempotent(ttl = \"24 hours\")",
                "String %s(String id) { return id; }"),
            "@Idempotent(ttl = \"24 hours\") on com.example.Payments.ttlInWords(String): not a"
                + " duration; expected a positive whole number with a unit",
            "\"24 hours\""),
        failing(
            method("ttlZero", "@Idempotent(ttl = \"0s\")", "String %s(String id) { return id; }"),
            "the duration must be positive",
            "\"0s\""),
        failing(
            method(
                "leaseInWords",
                "@Idempotent(lease = \"5 min\")",
                "String %s(String id) { return id; }"),
            "@Idempotent(lease = \"5 min\")",
            "\"5 min\""),
        failing(
            method(
                "waitTimeoutBadIso",
                "@Idempotent(onInFlight = InFlight.WAIT, waitTimeout = \"PT\")",
                "String %s(String id) { return id; }"),
            "not a valid ISO-8601 duration",
            "\"PT\""),
        // namespace
        failing(
            method(
                "namespaceBlank",
                "@Idempotent(namespace = \"   \")",
                "String %s(String id) { return id; }"),
            "the namespace is blank; leave it out to use the class and method, or name it.",
            "\"   \""),
        // return types
        failing(
            method(
                "returnsStream",
                "@Idempotent",
                "Stream<String> %s(String id) { return Stream.of(id); }"),
            "@Idempotent on com.example.Payments.returnsStream(String): the return type"
                + " java.util.stream.Stream cannot be recorded and replayed",
            AT_ANNOTATION),
        failing(
            method("returnsAClass", "@Idempotent", "Class<?> %s(String id) { return null; }"),
            "@Idempotent on com.example.Payments.returnsAClass(String): the result type"
                + " java.lang.Class<?> cannot be recorded and replayed: a Class result would let a"
                + " stored record name a class to load",
            AT_ANNOTATION),
        failing(
            method(
                "returnsAFutureClass",
                "@Idempotent",
                "CompletableFuture<Class<? extends Number>> %s(String id) { return null; }"),
            "the result type java.lang.Class<? extends java.lang.Number> cannot be recorded",
            AT_ANNOTATION),
        failing(
            method(
                "returnsIterator",
                "@Idempotent",
                "Iterator<String> %s(String id) { return List.of(id).iterator(); }"),
            "the return type java.util.Iterator cannot be recorded",
            AT_ANNOTATION),
        failing(
            method("returnsFuture", "@Idempotent", "Future<String> %s(String id) { return null; }"),
            "the return type java.util.concurrent.Future cannot be recorded",
            AT_ANNOTATION),
        failing(
            method(
                "returnsInputStream", "@Idempotent", "InputStream %s(String id) { return null; }"),
            "the return type java.io.InputStream cannot be recorded",
            AT_ANNOTATION),
        failing(
            method(
                "returnsACompletionStageSubclass",
                "@Idempotent",
                "CustomStage<String> %s(String id) { return null; }"),
            "the return type com.example.Payments$CustomStage cannot be recorded",
            AT_ANNOTATION),
        failing(
            method(
                "returnsAPublisher",
                "@Idempotent",
                "Flow.Publisher<String> %s(String id) { return null; }"),
            "the return type java.util.concurrent.Flow$Publisher cannot be recorded",
            AT_ANNOTATION),
        failing(
            method(
                "returnsATypeVariableBoundToAStream",
                "@Idempotent",
                "<S extends Stream<String>> S %s(String id) { return null; }"),
            "the return type java.util.stream.Stream cannot be recorded",
            AT_ANNOTATION),
        // abstract and interface methods
        failing(
            method("abstractMethod", "@Idempotent", "abstract String %s(String id);"),
            "@Idempotent on com.example.Payments.abstractMethod(String): the method is abstract,"
                + " so no call ever runs it; put @Idempotent on the method of the class that"
                + " implements it.",
            AT_ANNOTATION),
        failing(
            interfaceMethod("interfaceMethod", "@Idempotent", "String %s(String id);"),
            "@Idempotent on com.example.Payments$Api.interfaceMethod(String): the method is"
                + " abstract",
            AT_ANNOTATION),
        // argument fingerprint
        failing(
            method(
                "fingerprintsAFunction",
                "@Idempotent",
                "String %s(String id, Supplier<String> callback) { return id; }"),
            "@Idempotent(keyExpr = \"\") on com.example.Payments.fingerprintsAFunction(String,"
                + " Supplier): parameter 'callback' (#p1) of type java.util.function.Supplier"
                + " cannot be part of the argument fingerprint: it is a function",
            AT_ANNOTATION),
        failing(
            method(
                "validatesAStream",
                "@Idempotent(keyExpr = \"#id\")",
                "String %s(String id, InputStream body) { return id; }"),
            "@Idempotent(validatePayload = \"true\") on"
                + " com.example.Payments.validatesAStream(String, InputStream): parameter 'body'"
                + " (#p1) of type java.io.InputStream cannot be part of the argument fingerprint:"
                + " it is a resource or a handle, which has no JSON form. Mark the parameter"
                + " @ExcludeFromFingerprint, or set validatePayload = false.",
            AT_ANNOTATION),
        failing(
            method(
                "validatesAnExecutorSubtype",
                "@Idempotent(keyExpr = \"#id\", validatePayload = true)",
                "String %s(String id, ExecutorService pool) { return id; }"),
            "of type java.util.concurrent.ExecutorService cannot be part of the argument"
                + " fingerprint",
            "true"));
  }

  static List<Case> passing() {
    return List.of(
        method(
            "keyExprByName",
            "@Idempotent(keyExpr = \"#cmd.id\")",
            "String %s(Charge cmd) { return cmd.id(); }"),
        method(
            "keyExprByPosition",
            "@Idempotent(keyExpr = \"#p0.id + #a0.id + #args[0].id\")",
            "String %s(Charge cmd) { return cmd.id(); }"),
        method(
            "keyExprNestedPathsAndLiterals",
            "@Idempotent(keyExpr = \"#cmd.customer.id + ':' + #cmd.items[0].sku + ':' + 42\")",
            "String %s(Charge cmd) { return cmd.id(); }"),
        method(
            "keyExprMapValues",
            "@Idempotent(keyExpr = \"#cmd.attrs['tenant'] + #cmd.byShort[7]\")",
            "String %s(Charge cmd) { return cmd.id(); }"),
        method(
            "keyExprDecimalAndRecord",
            "@Idempotent(keyExpr = \"#cmd.amount + #cmd.customer\")",
            "String %s(Charge cmd) { return cmd.id(); }"),
        method(
            "keyExprBeanGettersAndFields",
            "@Idempotent(keyExpr = \"#account.number + #account.active + #account.owner\")",
            "String %s(Account account) { return \"\"; }"),
        method(
            "keyExprGenericPropertyResolvedThroughTheSupertype",
            "@Idempotent(keyExpr = \"#envelope.payload.id\")",
            "String %s(ChargeEnvelope envelope) { return \"\"; }"),
        method(
            "keyExprGenericParameter",
            "@Idempotent(keyExpr = \"#envelope.payload.customer.name\")",
            "String %s(Envelope<? extends Charge> envelope) { return \"\"; }"),
        method(
            "keyExprRecursiveRecord",
            "@Idempotent(keyExpr = \"#node\")",
            "String %s(Node node) { return \"\"; }"),
        method(
            "keyExprEnumUuidAndPrimitive",
            "@Idempotent(keyExpr = \"#currency + #currency.symbol + #id + #n\")",
            "String %s(Currency currency, UUID id, long n) { return \"\"; }"),
        method(
            "keyExprArrayElement",
            "@Idempotent(keyExpr = \"#ids[1]\")",
            "String %s(String... ids) { return \"\"; }"),
        method(
            "keyExprParameterNamedLikeAPosition",
            "@Idempotent(keyExpr = \"#p1\")",
            "String %s(String p1, Charge cmd) { return \"\"; }"),
        method(
            "durations",
            "@Idempotent(ttl = \"24h\", lease = \"PT30S\", waitTimeout = \"500ms\")",
            "String %s(String id) { return id; }"),
        method(
            "namespaceNamed",
            "@Idempotent(namespace = \"payments.charge\", onInFlight = InFlight.REJECT)",
            "String %s(String id) { return id; }"),
        method("returnsVoid", "@Idempotent", "void %s(String id) {}"),
        method("returnsBoxedVoid", "@Idempotent", "Void %s(String id) { return null; }"),
        method(
            "returnsOptional",
            "@Idempotent",
            "Optional<String> %s(String id) { return Optional.of(id); }"),
        method(
            "returnsCompletableFuture",
            "@Idempotent",
            "CompletableFuture<String> %s(String id) { return null; }"),
        method(
            "returnsCompletionStage",
            "@Idempotent",
            "CompletionStage<String> %s(String id) { return null; }"),
        method(
            "returnsAListAndAPrimitive",
            "@Idempotent",
            "List<String> %s(String id, int n) { return List.of(id); }"),
        interfaceMethod(
            "interfaceDefaultMethod", "@Idempotent", "default String %s(String id) { return id; }"),
        method(
            "excludedFunction",
            "@Idempotent",
            "String %s(String id, @ExcludeFromFingerprint Supplier<String> callback) {"
                + " return id; }"),
        method(
            "unvalidatedStream",
            "@Idempotent(keyExpr = \"#id\", validatePayload = false)",
            "String %s(String id, InputStream body) { return id; }"));
  }

  private static Fixture.Source failingSource;
  private static Compilation failingCompiled;
  private static Compilation failingClasses;
  private static Fixture.Source passingSource;
  private static Compilation passingCompiled;
  private static Compilation passingClasses;

  private static synchronized Compilation failingCompiled() {
    if (failingCompiled == null) {
      failingSource = Fixture.source(failing().stream().map(Failing::method).toList());
      failingCompiled = Compilation.withProcessor(Fixture.CLASS, failingSource.text());
      failingClasses = Compilation.withoutProcessor(Fixture.CLASS, failingSource.text());
      assertTrue(failingClasses.success(), failingClasses.messages().toString());
    }
    return failingCompiled;
  }

  private static synchronized Compilation passingCompiled() {
    if (passingCompiled == null) {
      passingSource = Fixture.source(passing());
      passingCompiled = Compilation.withProcessor(Fixture.CLASS, passingSource.text());
      passingClasses = Compilation.withoutProcessor(Fixture.CLASS, passingSource.text());
      assertTrue(passingClasses.success(), passingClasses.messages().toString());
    }
    return passingCompiled;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failing")
  void brokenRuleIsAnErrorOnTheAnnotationWithTheEnginesMessage(Failing rule) {
    Compilation compiled = failingCompiled();
    long line = failingSource.annotationLines().get(rule.method());
    List<Message> onThisMethod =
        compiled.messages().stream()
            .filter(m -> m.line() == line || m.line() == line + 1)
            .collect(Collectors.toList());
    assertEquals(1, onThisMethod.size(), "one diagnostic expected: " + onThisMethod);
    Message error = onThisMethod.get(0);
    assertEquals(Diagnostic.Kind.ERROR, error.kind());
    assertEquals(line, error.line(), "on the annotation's line: " + error);
    assertEquals(
        compiled.columnOf(line, rule.pointsAt()),
        error.column(),
        "points at " + rule.pointsAt() + ": " + error);
    assertTrue(
        error.text().contains(rule.fragment()),
        "expected <" + rule.fragment() + "> in: " + error.text());
    assertEquals(
        failingClasses.runtimeVerdict(rule.method().binaryName(), rule.method().name()),
        error.text(),
        "the run-time check says the same");
  }

  @Test
  void brokenRulesFailTheBuildWithOneErrorEach() {
    Compilation compiled = failingCompiled();
    assertFalse(compiled.success());
    assertEquals(failing().size(), compiled.problems().size(), compiled.problems().toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("passing")
  void keptRuleCompilesWithoutDiagnosticAndTheEngineAcceptsIt(Case method) {
    Compilation compiled = passingCompiled();
    long line = passingSource.annotationLines().get(method);
    assertTrue(
        compiled.messages().stream().noneMatch(m -> m.line() == line || m.line() == line + 1),
        compiled.messages().toString());
    assertNull(passingClasses.runtimeVerdict(method.binaryName(), method.name()));
  }

  @Test
  void correctMethodsCompileWithoutAnyDiagnostic() {
    Compilation compiled = passingCompiled();
    assertTrue(compiled.success(), compiled.messages().toString());
    assertEquals(List.of(), compiled.problems());
  }

  @Test
  void everyProblemOfOneMethodIsReportedEachAtItsAttribute() {
    Case method =
        method(
            "manyMistakes",
            "@Idempotent(ttl = \"1y\", lease = \"x\", namespace = \" \", keyExpr = \"#nope\")",
            "Stream<String> %s(Supplier<String> s) { return null; }");
    Fixture.Source source = Fixture.source(List.of(method));
    Compilation compiled = Compilation.withProcessor(Fixture.CLASS, source.text());
    long line = source.annotationLines().get(method);
    List<Message> errors = compiled.problems();
    errors.forEach(error -> assertEquals(line, error.line(), error.toString()));
    long annotation = compiled.columnOf(line, AT_ANNOTATION);
    assertEquals(
        List.of(
            compiled.columnOf(line, "\"1y\""),
            compiled.columnOf(line, "\"x\""),
            compiled.columnOf(line, "\" \""),
            annotation,
            annotation,
            compiled.columnOf(line, "\"#nope\"")),
        errors.stream().map(Message::column).collect(Collectors.toList()),
        errors.toString());
    List<String> attributes =
        List.of(
            "(ttl = ", "(lease = ", "(namespace = ", " on ", "(validatePayload = ", "(keyExpr = ");
    for (int i = 0; i < attributes.size(); i++) {
      assertTrue(
          errors.get(i).text().startsWith("@Idempotent" + attributes.get(i)), errors.toString());
    }
  }

  /**
   * What only a store that serializes outcomes cannot record: a warning, since the compiler does
   * not know the store, with the engine's own words where the engine has a rule for it.
   */
  @Test
  void resultsAndExceptionsASerializingStoreCannotRecordAreWarnedAbout() {
    List<Case> cases =
        List.of(
            method("returnsOpaque", "@Idempotent", "Opaque %s(String id) { return null; }"),
            method(
                "returnsUnbuildable",
                "@Idempotent",
                "Optional<Unbuildable> %s(String id) { return null; }"),
            method("returnsShape", "@Idempotent", "Shape %s(String id) { return null; }"),
            method(
                "recordsCodedException",
                "@Idempotent(recordExceptions = CodedException.class)",
                "String %s(String id) { return id; }"));
    List<String> fragments =
        List.of(
            "Payments$Opaque cannot be recorded and replayed: it has no properties Jackson can"
                + " write (getters, public fields) and no constructor Jackson can build it with",
            "Payments$Unbuildable cannot be recorded and replayed: it has no constructor Jackson"
                + " can build it with",
            "Payments$Shape cannot be recorded and replayed: it is abstract",
            "@Idempotent(recordExceptions = \"CodedException.class\") on"
                + " com.example.Payments.recordsCodedException(String): recorded exception"
                + " com.example.Payments$CodedException has no public constructor taking (String)"
                + " or ()");
    Fixture.Source source = Fixture.source(cases);
    Compilation compiled = Compilation.withProcessor(Fixture.CLASS, source.text());
    assertTrue(compiled.success(), compiled.messages().toString());
    for (int i = 0; i < cases.size(); i++) {
      long line = source.annotationLines().get(cases.get(i));
      List<Message> onThisMethod =
          compiled.problems().stream().filter(m -> m.line() == line).toList();
      assertEquals(1, onThisMethod.size(), compiled.problems().toString());
      assertEquals(Diagnostic.Kind.WARNING, onThisMethod.get(0).kind());
      assertTrue(
          onThisMethod.get(0).text().contains(fragments.get(i)),
          "expected <" + fragments.get(i) + "> in: " + onThisMethod.get(0).text());
    }
    assertEquals(cases.size(), compiled.problems().size(), compiled.problems().toString());
  }

  @Test
  void methodWithAnUnresolvedTypeIsLeftToTheCompilersOwnError() {
    Case method =
        method(
            "unresolved",
            "@Idempotent(keyExpr = \"#cmd.id\")",
            "String %s(MissingCommand cmd) { return null; }");
    Compilation compiled =
        Compilation.withProcessor(Fixture.CLASS, Fixture.source(List.of(method)).text());
    assertFalse(compiled.success());
    assertEquals(1, compiled.problems().size(), compiled.problems().toString());
    assertTrue(
        compiled.problems().get(0).text().contains("cannot find symbol"),
        compiled.problems().toString());
  }

  @Test
  void javacFindsTheProcessorThroughItsServiceFileOnTheProcessorPath() {
    Case method =
        method("discovered", "@Idempotent(ttl = \"soon\")", "String %s(String id) { return id; }");
    Compilation compiled =
        Compilation.discovering(
            Fixture.CLASS,
            Fixture.source(List.of(method)).text(),
            List.of(
                Compilation.location(IdempotentProcessor.class),
                Compilation.location(dev.idempotent.Idempotent.class)));
    assertFalse(compiled.success());
    assertEquals(1, compiled.problems().size(), compiled.problems().toString());
    assertTrue(
        compiled
            .problems()
            .get(0)
            .text()
            .startsWith("@Idempotent(ttl = \"soon\") on com.example.Payments.discovered(String)"),
        compiled.problems().toString());
  }

  @Test
  void withoutTheProcessorOnTheProcessorPathNothingIsChecked() {
    Case method =
        method("unchecked", "@Idempotent(ttl = \"soon\")", "String %s(String id) { return id; }");
    Compilation compiled =
        Compilation.discovering(Fixture.CLASS, Fixture.source(List.of(method)).text(), List.of());
    assertTrue(compiled.success(), compiled.messages().toString());
    assertEquals(List.of(), compiled.problems());
  }
}
