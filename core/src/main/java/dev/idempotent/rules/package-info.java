/**
 * The rules of {@code @Idempotent} that the engine checks at run time and the annotation processor
 * ({@code idempotent-processor}) checks at compile time, kept in one place so that both say the
 * same thing: duration syntax ({@link dev.idempotent.rules.Durations}), well-formed keys and
 * namespaces ({@link dev.idempotent.rules.WellFormedText}), the type rules ({@link
 * dev.idempotent.rules.TypeRules}), how methods are named in messages ({@link
 * dev.idempotent.rules.MethodDescriptions}), and the key-expression language ({@link
 * dev.idempotent.rules.expr}).
 *
 * <p>Not an application API: these types exist for the engine and the processor, and may change in
 * any release before 1.0. Applications use {@code dev.idempotent} and its {@code codec} and {@code
 * store} packages.
 */
package dev.idempotent.rules;
