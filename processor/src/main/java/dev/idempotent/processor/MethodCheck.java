package dev.idempotent.processor;

import dev.idempotent.rules.Durations;
import dev.idempotent.rules.MethodDescriptions;
import dev.idempotent.rules.TypeRules;
import dev.idempotent.rules.WellFormedText;
import dev.idempotent.rules.expr.CheckedExpression;
import dev.idempotent.rules.expr.ExpressionChecker;
import dev.idempotent.rules.expr.ExpressionParser;
import dev.idempotent.rules.expr.ExpressionProblem;
import dev.idempotent.rules.expr.ParameterView;
import dev.idempotent.rules.expr.Step;
import dev.idempotent.rules.expr.TypeModel.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The engine's definition rules for one {@code @Idempotent} method, applied to the compiler's model
 * of it: the abstract-method rule, the durations, the namespace, the return type, the argument
 * fingerprint and the key expression. Each problem carries the message {@code
 * IdempotencyEngine.check} gives for it at run time and the annotation attribute it is about.
 * Unlike the engine, which stops at the first problem, every problem of the method is found.
 */
final class MethodCheck {
  static final String IDEMPOTENT = "dev.idempotent.Idempotent";
  static final String EXCLUDE_FROM_FINGERPRINT = "dev.idempotent.ExcludeFromFingerprint";

  private static final List<String> UNREPLAYABLE = TypeRules.UNREPLAYABLE_RETURN_TYPES;
  private static final Set<String> UNREPLAYABLE_NAMES =
      Set.copyOf(TypeRules.UNREPLAYABLE_RETURN_TYPE_NAMES);
  private static final List<String> UNFINGERPRINTABLE = TypeRules.UNFINGERPRINTABLE_PARAMETER_TYPES;
  private static final Set<String> RECORDABLE_RETURNS =
      Set.of(
          "java.lang.Void",
          "java.util.Optional",
          "java.util.concurrent.CompletionStage",
          "java.util.concurrent.CompletableFuture");
  private static final String SUPPORTED_RETURNS =
      "supported are plain values, void, Optional<T>, CompletionStage<T> and CompletableFuture<T>";

  /**
   * A definition problem.
   *
   * @param message the text the engine's {@code IdempotencyDefinitionException} has
   * @param attribute the annotation attribute it is about, or null for the method as a whole
   * @param warning whether it is a problem only with some stores (those that serialize outcomes),
   *     which the compiler cannot know: reported as a warning instead of an error
   */
  record Problem(String message, String attribute, boolean warning) {
    Problem(String message, String attribute) {
      this(message, attribute, false);
    }
  }

  private final Elements elements;
  private final Types types;
  private final JavacTypeModel model;

  MethodCheck(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
    this.model = new JavacTypeModel(elements, types);
  }

  /** The annotation's values, explicit or default, by attribute name. */
  static Map<String, Object> values(Elements elements, AnnotationMirror annotation) {
    Map<String, Object> values = new HashMap<>();
    elements
        .getElementValuesWithDefaults(annotation)
        .forEach((attribute, value) -> values.put(attribute.getSimpleName().toString(), value));
    return values;
  }

  /** Every problem of {@code method}, whose {@code @Idempotent} is {@code annotation}. */
  List<Problem> check(ExecutableElement method, AnnotationMirror annotation) {
    Map<String, Object> values = values(elements, annotation);
    String where = describe(method);
    List<Problem> problems = new ArrayList<>();
    if (method.getModifiers().contains(Modifier.ABSTRACT)) {
      problems.add(
          methodProblem(
              where,
              "the method is abstract, so no call ever runs it; put @Idempotent on the method of"
                  + " the class that implements it."));
    }
    for (String attribute : List.of("ttl", "lease", "waitTimeout")) {
      String text = text(values, attribute);
      if (!text.isEmpty()) {
        try {
          Durations.parse(text);
        } catch (IllegalArgumentException e) {
          problems.add(attributeProblem(where, attribute, text, e.getMessage() + "."));
        }
      }
    }
    String namespace = text(values, "namespace");
    if (!namespace.isEmpty() && namespace.isBlank()) {
      problems.add(
          attributeProblem(
              where,
              "namespace",
              namespace,
              "the namespace is blank; leave it out to use the class and method, or name it."));
    } else if (WellFormedText.namespaceProblem(namespace) != null) {
      problems.add(
          attributeProblem(
              where, "namespace", namespace, WellFormedText.namespaceProblem(namespace)));
    }
    if (!hasError(method.getReturnType())) {
      int before = problems.size();
      checkReturnType(where, method.getReturnType(), problems);
      if (problems.size() == before) {
        checkRecordedValue(where, method.getReturnType(), problems);
      }
    }
    checkRecordedExceptions(where, values, problems);
    boolean parametersKnown =
        method.getParameters().stream().noneMatch(parameter -> hasError(parameter.asType()));
    if (parametersKnown) {
      String keyExpr = text(values, "keyExpr");
      boolean validatePayload =
          (Boolean) ((AnnotationValue) values.get("validatePayload")).getValue();
      checkFingerprint(where, method, keyExpr, validatePayload, problems);
      if (!keyExpr.isEmpty()) {
        checkKeyExpression(where, method, keyExpr, problems);
      }
    }
    return problems;
  }

  private static String text(Map<String, Object> values, String attribute) {
    return (String) ((AnnotationValue) values.get(attribute)).getValue();
  }

  private void checkReturnType(String where, TypeMirror returnType, List<Problem> problems) {
    TypeMirror raw = types.erasure(returnType);
    if (raw.getKind() != TypeKind.DECLARED) {
      return;
    }
    TypeElement element = (TypeElement) ((DeclaredType) raw).asElement();
    if (RECORDABLE_RETURNS.contains(element.getQualifiedName().toString())) {
      return;
    }
    boolean unsupported = isAssignable(raw, "java.util.concurrent.CompletionStage");
    for (String type : UNREPLAYABLE) {
      unsupported |= isAssignable(raw, type);
    }
    unsupported |= supertypesNamed(raw);
    if (unsupported) {
      problems.add(
          methodProblem(
              where,
              "the return type "
                  + binaryName(element)
                  + " cannot be recorded and replayed: it can be consumed only once or completes"
                  + " outside the call; "
                  + SUPPORTED_RETURNS
                  + "."));
    }
  }

  /**
   * A {@code Class} result is an error, as for every store; a value type that Jackson plainly
   * cannot write or build is a warning, since it matters only for stores that serialize outcomes.
   */
  private void checkRecordedValue(String where, TypeMirror returnType, List<Problem> problems) {
    TypeMirror value = valueType(returnType);
    if (value.getKind() != TypeKind.DECLARED) {
      return;
    }
    TypeElement element = (TypeElement) ((DeclaredType) value).asElement();
    if (element.getQualifiedName().contentEquals("java.lang.Class")) {
      problems.add(
          methodProblem(
              where, TypeRules.resultTypeProblem(value.toString(), TypeRules.CLASS_RESULT)));
      return;
    }
    if (model.isJdk(element) || mentionsJackson(element)) {
      return;
    }
    String problem = serializationProblem(element);
    if (problem != null) {
      problems.add(
          new Problem(
              "@Idempotent on "
                  + where
                  + ": with a store that serializes outcomes (Redis, JDBC), "
                  + TypeRules.resultTypeProblem(binaryName(element), problem)
                  + " IdempotencyEngine.check(method) confirms it at start-up.",
              null,
              true));
    }
  }

  /** The type of the values recorded: the content of an Optional or a stage, else the type. */
  private TypeMirror valueType(TypeMirror returnType) {
    if (returnType.getKind() != TypeKind.DECLARED) {
      return returnType;
    }
    DeclaredType declared = (DeclaredType) returnType;
    String name = ((TypeElement) declared.asElement()).getQualifiedName().toString();
    boolean wrapper = RECORDABLE_RETURNS.contains(name) && !"java.lang.Void".equals(name);
    if (wrapper && declared.getTypeArguments().size() == 1) {
      return declared.getTypeArguments().get(0);
    }
    return returnType;
  }

  /** What Jackson plainly cannot do with a type, from its members alone, or null. */
  private String serializationProblem(TypeElement type) {
    if (type.getKind() == ElementKind.ENUM || type.getKind() == ElementKind.RECORD) {
      return null;
    }
    if (type.getKind() == ElementKind.INTERFACE
        || type.getModifiers().contains(Modifier.ABSTRACT)) {
      return "it is abstract, with no known concrete type: Jackson cannot build it from its JSON."
          + " Return a record or a concrete class.";
    }
    boolean properties = false;
    for (Element member : elements.getAllMembers(type)) {
      if (!model.isJdk((TypeElement) member.getEnclosingElement())) {
        properties |= isProperty(member);
      }
    }
    boolean creator = false;
    for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      creator |= constructor.getParameters().size() <= 1;
    }
    if (properties && creator) {
      return null;
    }
    return "it has "
        + (properties ? "" : "no properties Jackson can write (getters, public fields)")
        + (properties || creator ? "" : " and ")
        + (creator ? "" : "no constructor Jackson can build it with (no-argument or @JsonCreator)")
        + ". Return a record, or give the class what it lacks.";
  }

  private static boolean isProperty(Element member) {
    Set<Modifier> modifiers = member.getModifiers();
    if (!modifiers.contains(Modifier.PUBLIC) || modifiers.contains(Modifier.STATIC)) {
      return false;
    }
    if (member.getKind() == ElementKind.FIELD) {
      return true;
    }
    if (member.getKind() != ElementKind.METHOD) {
      return false;
    }
    ExecutableElement method = (ExecutableElement) member;
    String name = method.getSimpleName().toString();
    TypeKind returns = method.getReturnType().getKind();
    return method.getParameters().isEmpty()
        && returns != TypeKind.VOID
        && (name.startsWith("get") && name.length() > 3
            || name.startsWith("is") && name.length() > 2 && returns == TypeKind.BOOLEAN);
  }

  /** Whether the type or a member carries a Jackson annotation, which the check cannot judge. */
  private static boolean mentionsJackson(TypeElement type) {
    if (jacksonAnnotated(type)) {
      return true;
    }
    for (Element member : type.getEnclosedElements()) {
      if (jacksonAnnotated(member)) {
        return true;
      }
    }
    return false;
  }

  private static boolean jacksonAnnotated(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      String name =
          ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
      if (name.startsWith("com.fasterxml.jackson.") || name.startsWith("tools.jackson.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A recorded exception that a store which serializes outcomes cannot throw again: a warning, as
   * the engine refuses it only with such a store.
   */
  private void checkRecordedExceptions(
      String where, Map<String, Object> values, List<Problem> problems) {
    Object listed = ((AnnotationValue) values.get("recordExceptions")).getValue();
    for (Object entry : (List<?>) listed) {
      Object value = ((AnnotationValue) entry).getValue();
      if (!(value instanceof DeclaredType declared)) {
        continue;
      }
      TypeElement type = (TypeElement) declared.asElement();
      if (!rebuildable(type)) {
        problems.add(
            new Problem(
                MethodDescriptions.definitionError(
                        where,
                        "recordExceptions",
                        type.getSimpleName() + ".class",
                        TypeRules.notReplayable(binaryName(type)))
                    .getMessage(),
                "recordExceptions",
                true));
      }
    }
  }

  /** Whether the engine can build the exception again from its class and message. */
  private static boolean rebuildable(TypeElement type) {
    Set<Modifier> modifiers = type.getModifiers();
    if (!modifiers.contains(Modifier.PUBLIC) || modifiers.contains(Modifier.ABSTRACT)) {
      return false;
    }
    for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      List<? extends VariableElement> parameters = constructor.getParameters();
      boolean usable =
          parameters.isEmpty()
              || parameters.size() == 1
                  && parameters.get(0).asType().toString().equals("java.lang.String");
      if (usable && constructor.getModifiers().contains(Modifier.PUBLIC)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the type or a supertype is a reactive or publisher type named by the engine. */
  private boolean supertypesNamed(TypeMirror raw) {
    Deque<TypeMirror> pending = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    pending.add(raw);
    while (!pending.isEmpty()) {
      TypeMirror next = pending.remove();
      if (next.getKind() != TypeKind.DECLARED) {
        continue;
      }
      String name = binaryName((TypeElement) ((DeclaredType) next).asElement());
      if (UNREPLAYABLE_NAMES.contains(name)) {
        return true;
      }
      if (seen.add(name)) {
        pending.addAll(types.directSupertypes(types.erasure(next)));
      }
    }
    return false;
  }

  private void checkFingerprint(
      String where,
      ExecutableElement method,
      String keyExpr,
      boolean validatePayload,
      List<Problem> problems) {
    if (!keyExpr.isEmpty() && !validatePayload) {
      return;
    }
    List<? extends VariableElement> parameters = method.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      VariableElement parameter = parameters.get(i);
      if (annotated(parameter, EXCLUDE_FROM_FINGERPRINT)) {
        continue;
      }
      TypeMirror raw = types.erasure(parameter.asType());
      if (raw.getKind() != TypeKind.DECLARED) {
        continue;
      }
      TypeElement type = (TypeElement) ((DeclaredType) raw).asElement();
      boolean functional = annotated(type, "java.lang.FunctionalInterface");
      boolean unwritable = UNFINGERPRINTABLE.stream().anyMatch(t -> isAssignable(raw, t));
      if (!functional && !unwritable) {
        continue;
      }
      String attribute = keyExpr.isEmpty() ? "keyExpr" : "validatePayload";
      String value = keyExpr.isEmpty() ? "" : "true";
      problems.add(
          attributeProblem(
              where,
              attribute,
              value,
              "parameter '"
                  + parameter.getSimpleName()
                  + "' (#p"
                  + i
                  + ") of type "
                  + binaryName(type)
                  + " cannot be part of the argument fingerprint: "
                  + (functional
                      ? "it is a function, which has no JSON form"
                      : "it is a resource or a handle, which has no JSON form")
                  + ". Mark the parameter @ExcludeFromFingerprint"
                  + (keyExpr.isEmpty()
                      ? ", or give a keyExpr."
                      : ", or set validatePayload = false.")));
    }
  }

  private void checkKeyExpression(
      String where, ExecutableElement method, String keyExpr, List<Problem> problems) {
    try {
      List<ParameterView<JavacType>> parameters = model.parametersOf(method);
      CheckedExpression<JavacType> checked =
          ExpressionChecker.check(ExpressionParser.parse(keyExpr), parameters, model);
      checkIntegerKeys(checked);
    } catch (ExpressionProblem problem) {
      problems.add(
          attributeProblem(
              where, "keyExpr", ExpressionParser.quotable(keyExpr), problem.getMessage()));
    }
  }

  /**
   * An index into a map with {@code Short} or {@code Byte} keys must fit the key type, which the
   * engine finds when it compiles the expression.
   */
  private void checkIntegerKeys(CheckedExpression<JavacType> checked) {
    for (CheckedExpression.Part<JavacType> part : checked.parts()) {
      if (!(part instanceof CheckedExpression.Read<JavacType> read)) {
        continue;
      }
      for (CheckedExpression.Hop<JavacType> hop : read.hops()) {
        if (hop.fromKind() != Kind.MAP || !(hop.step() instanceof Step.Index index)) {
          continue;
        }
        String keyType = JavacTypeModel.qualifiedName(model.mapKeyType(hop.from()).mirror());
        boolean fits =
            !("java.lang.Short".equals(keyType) && index.index() > Short.MAX_VALUE)
                && !("java.lang.Byte".equals(keyType) && index.index() > Byte.MAX_VALUE);
        if (!fits) {
          throw new ExpressionProblem(
              index.column(),
              String.format(
                  "index %s at column %d does not fit the %s keys of '%s'.",
                  index.text(),
                  index.column(),
                  keyType.substring(keyType.lastIndexOf('.') + 1),
                  hop.fromPath()));
        }
      }
    }
  }

  /**
   * The method as the engine names it in messages: the declaring class's binary name, the method's
   * name and the simple names of its erased parameter types.
   */
  String describe(ExecutableElement method) {
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (VariableElement parameter : method.getParameters()) {
      params.add(simpleName(types.erasure(parameter.asType())));
    }
    return binaryName((TypeElement) method.getEnclosingElement())
        + "."
        + method.getSimpleName()
        + params;
  }

  private static String simpleName(TypeMirror erased) {
    if (erased.getKind() == TypeKind.ARRAY) {
      return simpleName(((ArrayType) erased).getComponentType()) + "[]";
    }
    if (erased.getKind() == TypeKind.DECLARED) {
      return ((DeclaredType) erased).asElement().getSimpleName().toString();
    }
    return erased.toString();
  }

  private String binaryName(TypeElement type) {
    return elements.getBinaryName(type).toString();
  }

  private boolean isAssignable(TypeMirror raw, String qualifiedName) {
    TypeMirror target = model.erased(qualifiedName);
    return target != null && types.isAssignable(raw, target);
  }

  private static boolean annotated(Element element, String annotation) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(annotation)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the type is, or mentions, a type the compiler could not resolve. */
  private static boolean hasError(TypeMirror type) {
    switch (type.getKind()) {
      case ERROR:
        return true;
      case ARRAY:
        return hasError(((ArrayType) type).getComponentType());
      case DECLARED:
        return ((DeclaredType) type).getTypeArguments().stream().anyMatch(MethodCheck::hasError);
      default:
        return false;
    }
  }

  private static Problem attributeProblem(
      String where, String attribute, String value, String problem) {
    return new Problem(
        MethodDescriptions.definitionError(where, attribute, value, problem).getMessage(),
        attribute);
  }

  private static Problem methodProblem(String where, String problem) {
    return new Problem("@Idempotent on " + where + ": " + problem, null);
  }
}
