package dev.idempotent.rules.expr;

import dev.idempotent.IdempotencyKeyException;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One compiled step of a path: reads a property, an element or a map value from a non-null value
 * whose class fits the step's static type. Everything a read needs is resolved when the expression
 * is compiled. Immutable and thread-safe.
 */
abstract class Accessor {
  /** Starts every message: {@code key expression '#cmd.id' of com.example.Payments.charge(...)}. */
  final String failure;

  // The whole path as written and where the part the step reads from ends: cut for messages only.
  private final String written;
  private final int fromEnd;

  Accessor(String failure, String written, int fromEnd) {
    this.failure = failure;
    this.written = written;
    this.fromEnd = fromEnd;
  }

  /** The path the step reads from, such as {@code #cmd.items}. */
  final String from() {
    return written.substring(0, fromEnd);
  }

  /**
   * The value this step yields from {@code owner}, which may be null.
   *
   * @throws IdempotencyKeyException when the element or key is missing
   * @throws Throwable what a getter threw, for the caller to report
   */
  abstract Object read(Object owner) throws Throwable;

  /** What ran when a read failed, for messages: {@code getTotal()}, {@code get(0)}. */
  abstract String source();

  /** Reads a property through its accessor, getter or field. */
  static final class Property extends Accessor {
    private final Function<Object, Object> reader;
    private final String source;

    /** Creates the step from the member's direct handle (see {@link PropertyReader}). */
    Property(String failure, String written, int fromEnd, MethodHandle handle, String source) {
      super(failure, written, fromEnd);
      this.reader = PropertyReader.of(handle);
      this.source = source;
    }

    @Override
    Object read(Object owner) {
      return reader.apply(owner);
    }

    @Override
    String source() {
      return source;
    }
  }

  /** Reads an element of a {@link List}. */
  static final class ListElement extends Accessor {
    private final int index;

    ListElement(String failure, String written, int fromEnd, int index) {
      super(failure, written, fromEnd);
      this.index = index;
    }

    @Override
    Object read(Object owner) {
      List<?> list = (List<?>) owner;
      int size = list.size();
      if (index >= size) {
        throw outOfRange(failure, from(), index, size);
      }
      return list.get(index);
    }

    @Override
    String source() {
      return "get(" + index + ")";
    }
  }

  /** Reads an element of an array, of objects or of primitives. */
  static final class ArrayElement extends Accessor {
    private final int index;
    private final MethodHandle length;
    private final MethodHandle element;

    /**
     * Creates the step from the array class's handles, adapted to types {@code (Object)int} and
     * {@code (Object,int)Object}.
     */
    ArrayElement(
        String failure,
        String written,
        int fromEnd,
        int index,
        MethodHandle length,
        MethodHandle element) {
      super(failure, written, fromEnd);
      this.index = index;
      this.length = length;
      this.element = element;
    }

    @Override
    Object read(Object owner) throws Throwable {
      int size = (int) length.invokeExact(owner);
      if (index >= size) {
        throw outOfRange(failure, from(), index, size);
      }
      return (Object) element.invokeExact(owner, index);
    }

    @Override
    String source() {
      return "[" + index + "]";
    }
  }

  /** Reads a value of a {@link Map}, telling a missing key from a key mapped to null. */
  static final class MapValue extends Accessor {
    private final Object key;
    private final String keyText;

    /** Creates the step for a key of the map's key class, written as {@code keyText}. */
    MapValue(String failure, String written, int fromEnd, Object key, String keyText) {
      super(failure, written, fromEnd);
      this.key = key;
      this.keyText = keyText;
    }

    @Override
    Object read(Object owner) {
      Map<?, ?> map = (Map<?, ?>) owner;
      Object value = map.get(key);
      if (value == null && !map.containsKey(key)) {
        throw new IdempotencyKeyException(
            failure + " found no key " + keyText + " in '" + from() + "'; the body did not run.");
      }
      return value;
    }

    @Override
    String source() {
      return "get(" + keyText + ")";
    }
  }

  private static IdempotencyKeyException outOfRange(
      String failure, String from, int index, int size) {
    return new IdempotencyKeyException(
        failure
            + " found no element ["
            + index
            + "] in '"
            + from
            + "', which has "
            + size
            + (size == 1 ? " element" : " elements")
            + "; the body did not run.");
  }
}
