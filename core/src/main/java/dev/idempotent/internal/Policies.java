package dev.idempotent.internal;

import static dev.idempotent.rules.MethodDescriptions.definitionError;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.idempotent.ExcludeFromFingerprint;
import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.Idempotent;
import dev.idempotent.InFlight;
import dev.idempotent.codec.OutcomeCodec;
import dev.idempotent.codec.ValueCodec;
import dev.idempotent.rules.Durations;
import dev.idempotent.rules.MethodDescriptions;
import dev.idempotent.rules.TypeRules;
import dev.idempotent.rules.WellFormedText;
import dev.idempotent.rules.expr.KeyExpression;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads {@code @Idempotent} methods and programmatic operations into {@link Policy} values, checks
 * them, and caches one per method. Thread-safe.
 */
public final class Policies {
  private static final String SUPPORTED_RETURNS =
      "supported are plain values, void, Optional<T>, CompletionStage<T> and CompletableFuture<T>";

  private final ConcurrentHashMap<Method, Policy> cache = new ConcurrentHashMap<>();
  private final Duration defaultTtl;
  private final Duration defaultLease;
  private final Duration defaultWaitTimeout;
  private final boolean keepsObjects;
  private final OutcomeCodec codec;
  private final ObjectWriter canonicalWriter;

  /**
   * @param settings the engine's settings: the default durations, the codec, and the store (whether
   *     it keeps objects)
   * @param canonicalMapper the mapper of argument fingerprints
   */
  public Policies(EngineSettings settings, ObjectMapper canonicalMapper) {
    this.defaultTtl = settings.defaultTtl();
    this.defaultLease = settings.defaultLease();
    this.defaultWaitTimeout = settings.defaultWaitTimeout();
    this.keepsObjects = settings.store().keepsObjects();
    this.codec = settings.codec();
    this.canonicalWriter = canonicalMapper.writer();
  }

  /**
   * The policy of an {@code @Idempotent} method, read and checked on first use and cached.
   *
   * @throws IdempotencyDefinitionException when the annotation is missing or wrong
   */
  public Policy forMethod(Method method) {
    Policy policy = cache.get(method);
    return policy != null ? policy : cache.computeIfAbsent(method, this::read);
  }

  private Policy read(Method method) {
    Idempotent annotation = method.getAnnotation(Idempotent.class);
    if (annotation == null) {
      throw definitionError(
          method,
          "the method is not annotated with @Idempotent; only annotated methods can be handed to"
              + " IdempotencyEngine.invoke.");
    }
    if (Modifier.isAbstract(method.getModifiers())) {
      throw definitionError(
          method,
          "the method is abstract, so no call ever runs it; put @Idempotent on the method of the"
              + " class that implements it.");
    }
    String where = MethodDescriptions.describe(method);
    Duration ttl = duration(method, "ttl", annotation.ttl(), defaultTtl);
    Duration lease = duration(method, "lease", annotation.lease(), defaultLease);
    Duration waitTimeout =
        duration(method, "waitTimeout", annotation.waitTimeout(), defaultWaitTimeout);
    List<Class<? extends Throwable>> recorded =
        recordedExceptions(method, Arrays.asList(annotation.recordExceptions()));
    String namespace =
        annotation.namespace().isEmpty()
            ? defaultNamespace(method)
            : checkNamespace(method, annotation.namespace());

    ResultShape shape = shape(method);
    Type valueType = valueType(method, shape);
    OutcomeEnvelope envelope =
        envelope(
            method,
            where,
            namespace,
            valueType,
            recorded,
            method.getDeclaringClass().getClassLoader());

    String[] names = parameterNames(method);
    int[] included = fingerprinted(method, names, annotation);
    Function<Object[], String> keyFunction;
    ArgumentFingerprint fingerprint = null;
    if (annotation.keyExpr().isEmpty()) {
      ArgumentFingerprint all =
          new ArgumentFingerprint(
              where, included, names, method.getParameterTypes(), canonicalWriter, false);
      keyFunction = all::of;
    } else {
      KeyExpression expression = KeyExpression.compile(method, annotation.keyExpr());
      keyFunction = expression::evaluate;
      if (annotation.validatePayload() && included.length > 0) {
        fingerprint =
            new ArgumentFingerprint(
                where, included, names, method.getParameterTypes(), canonicalWriter, keepsObjects);
      }
    }
    return new Policy(
        method,
        where,
        namespace,
        keyFunction,
        fingerprint,
        ttl,
        lease,
        waitTimeout,
        annotation.onInFlight(),
        recorded,
        shape,
        envelope);
  }

  /**
   * The policy of a programmatic operation.
   *
   * @throws IdempotencyDefinitionException when a setting is wrong
   */
  public Policy forOperation(
      String namespace,
      Type resultType,
      boolean async,
      Duration ttl,
      Duration lease,
      Duration waitTimeout,
      InFlight inFlight,
      List<Class<? extends Throwable>> recorded) {
    String where = "operation '" + namespace + "'";
    if (namespace == null || namespace.isBlank()) {
      throw new IdempotencyDefinitionException(
          "IdempotencyEngine.operation: the namespace must not be blank; name the operation, for"
              + " example \"payments.charge\".");
    }
    String malformed = WellFormedText.namespaceProblem(namespace);
    if (malformed != null) {
      throw new IdempotencyDefinitionException("IdempotencyEngine.operation: " + malformed);
    }
    for (Class<? extends Throwable> type : recorded) {
      checkReplayable(where, type);
    }
    ResultShape shape = async ? ResultShape.ASYNC : ResultShape.VALUE;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null && resultType instanceof Class) {
      loader = ((Class<?>) resultType).getClassLoader();
    }
    OutcomeEnvelope envelope = envelope(null, where, namespace, resultType, recorded, loader);
    return new Policy(
        null,
        where,
        namespace,
        null,
        null,
        orDefault(ttl, defaultTtl),
        orDefault(lease, defaultLease),
        orDefault(waitTimeout, defaultWaitTimeout),
        inFlight == null ? InFlight.WAIT : inFlight,
        recorded,
        shape,
        envelope);
  }

  /** The writer of canonical JSON, for programmatic payload fingerprints. */
  public ObjectWriter canonicalWriter() {
    return canonicalWriter;
  }

  private static Duration orDefault(Duration value, Duration fallback) {
    return value == null ? fallback : value;
  }

  private static Duration duration(
      Method method, String attribute, String text, Duration fallback) {
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw definitionError(method, attribute, text, e.getMessage() + ".");
    }
  }

  private static String checkNamespace(Method method, String namespace) {
    if (namespace.isBlank()) {
      throw definitionError(
          method,
          "namespace",
          namespace,
          "the namespace is blank; leave it out to use the class and method, or name it.");
    }
    String malformed = WellFormedText.namespaceProblem(namespace);
    if (malformed != null) {
      throw definitionError(method, "namespace", namespace, malformed);
    }
    return namespace;
  }

  /** The declaring class, the method name and the parameter types, all fully qualified. */
  static String defaultNamespace(Method method) {
    StringJoiner params = new StringJoiner(",", "(", ")");
    for (Class<?> type : method.getParameterTypes()) {
      params.add(type.getTypeName());
    }
    return method.getDeclaringClass().getName() + "." + method.getName() + params;
  }

  private List<Class<? extends Throwable>> recordedExceptions(
      Method method, List<Class<? extends Throwable>> types) {
    for (Class<? extends Throwable> type : types) {
      if (!replayable(type)) {
        throw definitionError(
            method, "recordExceptions", type.getSimpleName() + ".class", notReplayable(type));
      }
    }
    return List.copyOf(types);
  }

  private void checkReplayable(String where, Class<? extends Throwable> type) {
    if (!replayable(type)) {
      throw new IdempotencyDefinitionException(where + ": " + notReplayable(type));
    }
  }

  private static String notReplayable(Class<?> type) {
    return TypeRules.notReplayable(type.getName());
  }

  /** Whether a serializing store can throw the type again; a store of objects always can. */
  private boolean replayable(Class<? extends Throwable> type) {
    if (keepsObjects) {
      return true;
    }
    if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
      return false;
    }
    for (Class<?>[] signature : new Class<?>[][] {{String.class}, {}}) {
      try {
        type.getConstructor(signature);
        return true;
      } catch (NoSuchMethodException e) {
        // try the next signature
      }
    }
    return false;
  }

  private static ResultShape shape(Method method) {
    Class<?> raw = method.getReturnType();
    if (raw == void.class || raw == Void.class) {
      return ResultShape.VOID;
    }
    if (raw == Optional.class) {
      return ResultShape.OPTIONAL;
    }
    if (raw == CompletionStage.class || raw == CompletableFuture.class) {
      return ResultShape.ASYNC;
    }
    if (CompletionStage.class.isAssignableFrom(raw)) {
      throw unsupportedReturn(method, raw);
    }
    for (Class<?> type : TypeRules.UNREPLAYABLE) {
      if (type.isAssignableFrom(raw)) {
        throw unsupportedReturn(method, raw);
      }
    }
    for (Class<?> c = raw; c != null; c = c.getSuperclass()) {
      if (TypeRules.UNREPLAYABLE_RETURN_TYPE_NAMES.contains(c.getName()) || implementsNamed(c)) {
        throw unsupportedReturn(method, raw);
      }
    }
    return ResultShape.VALUE;
  }

  private static boolean implementsNamed(Class<?> type) {
    for (Class<?> i : type.getInterfaces()) {
      if (TypeRules.UNREPLAYABLE_RETURN_TYPE_NAMES.contains(i.getName()) || implementsNamed(i)) {
        return true;
      }
    }
    return false;
  }

  private static IdempotencyDefinitionException unsupportedReturn(Method method, Class<?> raw) {
    return definitionError(
        method,
        "the return type "
            + raw.getName()
            + " cannot be recorded and replayed: it can be consumed only once or completes outside"
            + " the call; "
            + SUPPORTED_RETURNS
            + ".");
  }

  private static Type valueType(Method method, ResultShape shape) {
    Type generic = method.getGenericReturnType();
    switch (shape) {
      case VOID:
        return Void.class;
      case OPTIONAL:
      case ASYNC:
        return generic instanceof ParameterizedType
            ? ((ParameterizedType) generic).getActualTypeArguments()[0]
            : Object.class;
      default:
        return generic;
    }
  }

  /**
   * How outcomes are recorded in a store that serializes, or null for a store of objects.
   *
   * @throws IdempotencyDefinitionException when the codec cannot write and read back values of the
   *     type
   */
  private OutcomeEnvelope envelope(
      Method method,
      String where,
      String namespace,
      Type valueType,
      List<Class<? extends Throwable>> recorded,
      ClassLoader loader) {
    String problem = classResult(valueType);
    if (problem == null && !keepsObjects) {
      problem = undecodable(valueType);
    }
    if (problem != null) {
      throw resultTypeError(method, where, valueType, problem);
    }
    if (keepsObjects) {
      return null;
    }
    ValueCodec values;
    try {
      values = codec.forType(valueType);
    } catch (IllegalArgumentException e) {
      throw resultTypeError(
          method,
          where,
          valueType,
          "the engine's codec ("
              + codec
              + ") cannot write and read back its values: "
              + e.getMessage());
    }
    return new OutcomeEnvelope(where, namespace, valueType.getTypeName(), values, recorded, loader);
  }

  private static IdempotencyDefinitionException resultTypeError(
      Method method, String where, Type valueType, String problem) {
    String message = TypeRules.resultTypeProblem(valueType.getTypeName(), problem);
    return method != null
        ? definitionError(method, message)
        : new IdempotencyDefinitionException(where + ": " + message);
  }

  /**
   * Why a result of this type is refused by every store, or null: a {@code Class} result would let
   * a stored record name a class to load.
   */
  private static String classResult(Type type) {
    if (type == Class.class
        || type instanceof ParameterizedType
            && ((ParameterizedType) type).getRawType() == Class.class) {
      return TypeRules.CLASS_RESULT;
    }
    return null;
  }

  /** Why a value of this type cannot be decoded without type information, or null if it can. */
  private static String undecodable(Type type) {
    if (type instanceof TypeVariable) {
      return "it is the type variable "
          + type.getTypeName()
          + ", unknown at run time; declare a concrete result type.";
    }
    if (type instanceof WildcardType) {
      Type[] upper = ((WildcardType) type).getUpperBounds();
      return upper.length == 1 ? undecodable(upper[0]) : null;
    }
    if (type instanceof GenericArrayType) {
      return undecodable(((GenericArrayType) type).getGenericComponentType());
    }
    if (classResult(type) != null) {
      return classResult(type);
    }
    if (type instanceof ParameterizedType) {
      for (Type argument : ((ParameterizedType) type).getActualTypeArguments()) {
        String problem = undecodable(argument);
        if (problem != null) {
          return problem;
        }
      }
      return undecodable(((ParameterizedType) type).getRawType());
    }
    if (type == Object.class) {
      return "Object says nothing of what to build; declare the concrete result type.";
    }
    return null;
  }

  private static String[] parameterNames(Method method) {
    Parameter[] parameters = method.getParameters();
    String[] names = new String[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      names[i] = parameters[i].isNamePresent() ? parameters[i].getName() : "p" + i;
    }
    return names;
  }

  private static int[] fingerprinted(Method method, String[] names, Idempotent annotation) {
    boolean needed = annotation.keyExpr().isEmpty() || annotation.validatePayload();
    Parameter[] parameters = method.getParameters();
    int[] included = new int[parameters.length];
    int count = 0;
    for (int i = 0; i < parameters.length; i++) {
      if (parameters[i].isAnnotationPresent(ExcludeFromFingerprint.class)) {
        continue;
      }
      if (needed) {
        checkFingerprintable(method, annotation, names[i], i, parameters[i].getType());
      }
      included[count++] = i;
    }
    return Arrays.copyOf(included, count);
  }

  private static void checkFingerprintable(
      Method method, Idempotent annotation, String name, int position, Class<?> type) {
    boolean functional = type.isAnnotationPresent(FunctionalInterface.class);
    boolean unwritable =
        TypeRules.UNFINGERPRINTABLE.stream().anyMatch(t -> t.isAssignableFrom(type));
    if (!functional && !unwritable) {
      return;
    }
    String attribute = annotation.keyExpr().isEmpty() ? "keyExpr" : "validatePayload";
    String value = annotation.keyExpr().isEmpty() ? "" : "true";
    throw definitionError(
        method,
        attribute,
        value,
        "parameter '"
            + name
            + "' (#p"
            + position
            + ") of type "
            + type.getName()
            + " cannot be part of the argument fingerprint: "
            + (functional
                ? "it is a function, which has no JSON form"
                : "it is a resource or a" + " handle, which has no JSON form")
            + ". Mark the parameter @ExcludeFromFingerprint"
            + (annotation.keyExpr().isEmpty()
                ? ", or give a keyExpr."
                : ", or set validatePayload = false."));
  }
}
