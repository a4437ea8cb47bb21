package dev.idempotent.testing.behaviour;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * What the behaviour suite calls: the interface of {@link OperationsFixture}, whose methods carry
 * the {@code @Idempotent} annotations. An adapter hands the suite an instance of it whose annotated
 * methods run through the adapter: the woven class itself, a Guice-created instance, or a proxy
 * that calls {@code IdempotencyEngine.invoke}. The interface carries no annotations, so no adapter
 * ever sees an abstract {@code @Idempotent} method.
 */
public interface Operations {

  /** Keyed by {@code #id}; the amount is part of the payload fingerprint. */
  String charge(String id, int amountCents);

  /** No key expression: the key is the fingerprint of all arguments. */
  String register(String name, String email);

  /** Keyed by {@code #id}, with a ttl of ten minutes. */
  String shortLived(String id);

  /** Throws an unrecorded {@link IllegalStateException} on its first run, then succeeds. */
  String failsOnce(String id);

  /** Throws a recorded, checked {@link Declined} on every run. */
  String authorize(String id) throws Declined;

  /** Throws an unrecorded, checked {@link IOException} on every run. */
  String read(String id) throws IOException;

  /** Returns null. */
  String nothing(String id);

  /** Returns nothing. */
  void fire(String id);

  /** Returns an Optional holding {@code "found:" + id}. */
  Optional<String> find(String id);

  /** Returns an Optional that is empty. */
  Optional<String> findNothing(String id);

  /** Returns a completed CompletableFuture. */
  CompletableFuture<String> chargeAsync(String id);

  /** Returns a completed CompletionStage. */
  CompletionStage<String> chargeStage(String id);

  /** Waits at the gate set by {@link #hold}; duplicates wait for it (WAIT). */
  String slow(String id);

  /** Waits at the gate set by {@link #hold}; duplicates are rejected (REJECT). */
  String slowRejecting(String id);

  /** Primitive parameters and result, keyed by position ({@code #p0}). */
  long scale(long value, int factor);

  /** Primitive parameter as the key, primitive result. */
  double half(int value);

  /** Varargs. */
  int total(String id, int... amounts);

  /** A generic method. */
  <T> T echo(String id, T value);

  /**
   * Calls itself once with the same id through the reference given to {@link #callItselfThrough},
   * from inside its body; the nested call's body returns at once, naming its run.
   */
  String callsItselfOnce(String id);

  /**
   * The reference {@link #callsItselfOnce} calls itself through: the protected instance the suite
   * holds, so that the nested call passes the adapter as a call from the application would.
   */
  void callItselfThrough(Operations self);

  /**
   * Makes {@link #slow} and {@link #slowRejecting} count {@code entered} down and then wait for
   * {@code release} (at most 30 seconds) before returning.
   */
  void hold(CountDownLatch entered, CountDownLatch release);

  /** How many times the body of the named method ran. */
  int runs(String method);

  /** The last exception a body threw, to check it reached the caller unchanged. */
  Throwable lastThrown();
}
