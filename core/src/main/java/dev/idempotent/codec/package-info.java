/**
 * How outcomes become bytes for stores that serialize them (Redis, JDBC): the {@link
 * dev.idempotent.codec.OutcomeCodec} SPI, one per engine, and its Jackson 2 default {@link
 * dev.idempotent.codec.JacksonOutcomeCodec}.
 *
 * <p>A codec writes and reads single values of a method's declared result type. The record around
 * them (the value, a recorded exception, or the mark of an outcome that could not be recorded) is
 * the engine's: every codec stores the same record format, so records written with one codec are
 * read by another as long as the JSON of the values agrees.
 */
package dev.idempotent.codec;
