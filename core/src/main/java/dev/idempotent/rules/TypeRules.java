package dev.idempotent.rules;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;

/**
 * The type rules of {@code @Idempotent} methods that the engine applies to reflection and the
 * annotation processor to the compiler's model: which return types cannot be recorded and replayed,
 * which parameter types cannot be fingerprinted, and the messages both give. Not an application
 * API: it may change in any release before 1.0.
 */
public final class TypeRules {
  /**
   * Return types that cannot be recorded and replayed (and their subtypes), by binary name: shared
   * with the annotation processor, which applies the same rule to the compiler's model.
   */
  public static final List<String> UNREPLAYABLE_RETURN_TYPES;

  /** Reactive return types, matched by name so that no reactive library is needed to check them. */
  public static final List<String> UNREPLAYABLE_RETURN_TYPE_NAMES;

  /** Parameter types that can never be part of an argument fingerprint, by binary name. */
  public static final List<String> UNFINGERPRINTABLE_PARAMETER_TYPES;

  /** Return types that cannot be recorded and replayed, and their subtypes. */
  public static final List<Class<?>> UNREPLAYABLE =
      List.of(
          Future.class,
          BaseStream.class,
          Iterator.class,
          Spliterator.class,
          InputStream.class,
          Reader.class);

  private static final List<String> UNREPLAYABLE_NAMES =
      List.of(
          "org.reactivestreams.Publisher",
          "java.util.concurrent.Flow$Publisher",
          "reactor.core.publisher.Mono",
          "reactor.core.publisher.Flux",
          "io.reactivex.rxjava3.core.Observable",
          "io.reactivex.rxjava3.core.Single");

  /** Parameter types that can never be part of an argument fingerprint, and their subtypes. */
  public static final List<Class<?>> UNFINGERPRINTABLE =
      List.of(
          InputStream.class,
          OutputStream.class,
          Reader.class,
          Writer.class,
          Thread.class,
          Executor.class,
          Iterator.class,
          BaseStream.class,
          Future.class,
          CompletionStage.class);

  static {
    UNREPLAYABLE_RETURN_TYPES = UNREPLAYABLE.stream().map(Class::getName).toList();
    UNREPLAYABLE_RETURN_TYPE_NAMES = UNREPLAYABLE_NAMES;
    UNFINGERPRINTABLE_PARAMETER_TYPES = UNFINGERPRINTABLE.stream().map(Class::getName).toList();
  }

  /**
   * Why a {@code Class} result is refused for every store: shared with the annotation processor.
   */
  public static final String CLASS_RESULT =
      "a Class result would let a stored record name a class to load and initialise;"
          + " return the class's name as a String, or a value that stands for it.";

  /**
   * Why a recorded exception type cannot be thrown again by a store that serializes outcomes:
   * shared with the annotation processor.
   *
   * @param typeName the exception's binary name
   */
  public static String notReplayable(String typeName) {
    return "recorded exception "
        + typeName
        + " has no public constructor taking (String) or (), so a store that serializes outcomes"
        + " cannot throw it again; add one, or record a type that has one.";
  }

  /**
   * The message of a result type that cannot be recorded and replayed: shared with the annotation
   * processor.
   *
   * @param typeName the declared value type, as {@link java.lang.reflect.Type#getTypeName()} writes
   *     it
   * @param problem why, and what would work
   */
  public static String resultTypeProblem(String typeName, String problem) {
    return "the result type " + typeName + " cannot be recorded and replayed: " + problem;
  }

  private TypeRules() {}
}
