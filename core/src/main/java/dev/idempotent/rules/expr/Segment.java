package dev.idempotent.rules.expr;

import dev.idempotent.IdempotencyKeyException;

/** One compiled part of a key: constant text, or a value read from a parameter. Thread-safe. */
abstract class Segment {

  /**
   * This part's text for the given arguments.
   *
   * @throws IdempotencyKeyException when a value on the path is null or missing, or reading it
   *     failed
   */
  abstract String text(Object[] args);

  /** A guess at the text's length, to size the builder that joins parts. */
  abstract int expectedLength();

  /** Text that is the same for every call. */
  static final class Constant extends Segment {
    private final String text;

    Constant(String text) {
      this.text = text;
    }

    @Override
    String text(Object[] args) {
      return text;
    }

    @Override
    int expectedLength() {
      return text.length();
    }
  }

  /** A parameter, read along a path of accessors and turned into text. */
  static final class ParameterPath extends Segment {
    private static final int EXPECTED_VALUE_LENGTH = 24;

    private final String failure;
    private final int parameter;
    private final Accessor[] accessors;
    // The whole path as written; its first ends[0] characters name the parameter, its first
    // ends[i + 1] the value accessors[i] yields. Cut only for a message.
    private final String written;
    private final int[] ends;
    private final TextForm form;

    ParameterPath(
        String failure,
        int parameter,
        Accessor[] accessors,
        String written,
        int[] ends,
        TextForm form) {
      this.failure = failure;
      this.parameter = parameter;
      this.accessors = accessors;
      this.written = written;
      this.ends = ends;
      this.form = form;
    }

    private String path(int index) {
      return written.substring(0, ends[index]);
    }

    @Override
    String text(Object[] args) {
      Object value = args[parameter];
      if (value == null) {
        throw metNull(0);
      }
      for (int i = 0; i < accessors.length; i++) {
        Accessor accessor = accessors[i];
        try {
          value = accessor.read(value);
        } catch (IdempotencyKeyException | Error e) {
          throw e;
        } catch (Throwable e) {
          throw failed("could not read '" + path(i + 1) + "': " + accessor.source(), e);
        }
        if (value == null) {
          throw metNull(i + 1);
        }
      }
      try {
        return form.of(value);
      } catch (RuntimeException e) {
        throw failed("could not turn '" + path(accessors.length) + "' into text: toString()", e);
      }
    }

    @Override
    int expectedLength() {
      return EXPECTED_VALUE_LENGTH;
    }

    private IdempotencyKeyException metNull(int path) {
      return new IdempotencyKeyException(
          failure + " met null at '" + path(path) + "'; the body did not run.");
    }

    private IdempotencyKeyException failed(String what, Throwable cause) {
      return new IdempotencyKeyException(
          failure
              + " "
              + what
              + " threw "
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
              + "; the body did not run.",
          cause);
    }
  }
}
