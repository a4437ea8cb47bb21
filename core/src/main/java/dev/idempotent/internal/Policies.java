package dev.idempotent.internal;

import static dev.idempotent.rules.MethodDescriptions.definitionError;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.idempotent.ExcludeFromFingerprint;
import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.Idempotent;
import dev.idempotent.InFlight;
import dev.idempotent.rules.Durations;
import dev.idempotent.rules.MethodDescriptions;
import dev.idempotent.rules.TypeRules;
import dev.idempotent.rules.WellFormedText;
import dev.idempotent.rules.expr.KeyExpression;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads {@code @Idempotent} methods and programmatic operations into {@link Policy} values, checks
 * them, and caches one per method: the annotation's attributes here, the result type's rules in
 * {@link ResultTypes}, the codec's envelope and the recorded exceptions in {@link
 * OutcomeEnvelopes}, the key in {@code KeyExpression} or {@link ArgumentFingerprint}. Thread-safe.
 */
public final class Policies {
  private final ConcurrentHashMap<Method, Policy> cache = new ConcurrentHashMap<>();
  private final Duration defaultTtl;
  private final Duration defaultLease;
  private final Duration defaultWaitTimeout;
  private final boolean keepsObjects;
  private final OutcomeEnvelopes envelopes;
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
    this.envelopes = new OutcomeEnvelopes(keepsObjects, settings.codec());
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

    ResultShape shape = ResultTypes.shape(method);
    Type valueType = ResultTypes.valueType(method, shape);
    OutcomeEnvelope envelope =
        envelopes.envelope(
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
      envelopes.checkReplayable(where, type);
    }
    ResultShape shape = async ? ResultShape.ASYNC : ResultShape.VALUE;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null && resultType instanceof Class) {
      loader = ((Class<?>) resultType).getClassLoader();
    }
    OutcomeEnvelope envelope =
        envelopes.envelope(null, where, namespace, resultType, recorded, loader);
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

  /** The fingerprint of a programmatic operation's payload of class {@code type}. */
  ArgumentFingerprint payloadFingerprint(String where, Class<?> type) {
    return new ArgumentFingerprint(
        where,
        new int[] {0},
        new String[] {"payload"},
        new Class<?>[] {type},
        canonicalWriter,
        keepsObjects);
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
      if (!envelopes.replayable(type)) {
        throw definitionError(
            method,
            "recordExceptions",
            type.getSimpleName() + ".class",
            OutcomeEnvelopes.notReplayable(type));
      }
    }
    return List.copyOf(types);
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
