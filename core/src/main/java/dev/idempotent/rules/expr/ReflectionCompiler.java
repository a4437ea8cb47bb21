package dev.idempotent.rules.expr;

import dev.idempotent.rules.expr.CheckedExpression.Constant;
import dev.idempotent.rules.expr.CheckedExpression.Hop;
import dev.idempotent.rules.expr.CheckedExpression.Part;
import dev.idempotent.rules.expr.CheckedExpression.Read;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.List;

/**
 * Turns a checked expression into segments that read values through method handles. All lookups
 * happen here, once: a property becomes a handle to its accessor, getter or field; an array index
 * becomes the array class's element and length handles; an integer map key becomes a constant of
 * the map's key class. Package-private classes and records are read through a private lookup in
 * their own class, which works wherever their package is open to this library (always on the class
 * path).
 */
final class ReflectionCompiler {
  private static final MethodType LENGTH = MethodType.methodType(int.class, Object.class);
  private static final MethodType ELEMENT =
      MethodType.methodType(Object.class, Object.class, int.class);

  private final ReflectionTypeModel model;
  private final String failure;

  private ReflectionCompiler(ReflectionTypeModel model, String failure) {
    this.model = model;
    this.failure = failure;
  }

  /**
   * The segments of a checked expression.
   *
   * @param failure how runtime errors start, naming the expression and the method
   * @throws ExpressionProblem when a property's member cannot be accessed, or an index does not fit
   *     the key class of the map it selects from
   */
  static Segment[] compile(
      CheckedExpression<Type> expression, ReflectionTypeModel model, String failure) {
    ReflectionCompiler compiler = new ReflectionCompiler(model, failure);
    List<Part<Type>> parts = expression.parts();
    Segment[] segments = new Segment[parts.size()];
    for (int i = 0; i < segments.length; i++) {
      Part<Type> part = parts.get(i);
      segments[i] =
          part instanceof Constant<Type> constant
              ? new Segment.Constant(constant.text())
              : compiler.path((Read<Type>) part);
    }
    return segments;
  }

  private Segment path(Read<Type> read) {
    List<Hop<Type>> hops = read.hops();
    Accessor[] accessors = new Accessor[hops.size()];
    int[] ends = new int[hops.size() + 1];
    ends[0] = read.path().length();
    String written = read.path();
    for (int i = 0; i < accessors.length; i++) {
      Hop<Type> hop = hops.get(i);
      accessors[i] = accessor(hop);
      ends[i + 1] = hop.end();
      written = hop.written();
    }
    return new Segment.ParameterPath(
        failure, read.parameter(), accessors, written, ends, TextForm.of(read.kind()));
  }

  private Accessor accessor(Hop<Type> hop) {
    Step step = hop.step();
    String written = hop.written();
    int from = hop.fromEnd();
    if (step instanceof Step.Property property) {
      Member member = model.member(hop.from(), property.name());
      return new Accessor.Property(
          failure, written, from, handle(member, hop, property), PropertyMembers.describe(member));
    }
    if (step instanceof Step.Key key) {
      return new Accessor.MapValue(failure, written, from, key.key(), "'" + key.key() + "'");
    }
    Step.Index index = (Step.Index) step;
    switch (hop.fromKind()) {
      case LIST:
        return new Accessor.ListElement(failure, written, from, index.index());
      case ARRAY:
        Class<?> array = TypeResolver.erasure(hop.from());
        return new Accessor.ArrayElement(
            failure,
            written,
            from,
            index.index(),
            MethodHandles.arrayLength(array).asType(LENGTH),
            MethodHandles.arrayElementGetter(array).asType(ELEMENT));
      case MAP:
        Object key = integerKey(TypeResolver.erasure(model.mapKeyType(hop.from())), hop, index);
        return new Accessor.MapValue(failure, written, from, key, String.valueOf(index.index()));
      default:
        throw new IllegalStateException("the checker let an index on " + hop.fromKind() + " pass");
    }
  }

  /** The index as an instance of the map's key class, so that {@code Map.get} finds it. */
  private Object integerKey(Class<?> keyClass, Hop<Type> hop, Step.Index index) {
    int value = index.index();
    if (keyClass == Integer.class) {
      return value;
    }
    if (keyClass == Long.class) {
      return (long) value;
    }
    if (keyClass == BigInteger.class) {
      return BigInteger.valueOf(value);
    }
    if (keyClass == Short.class && value <= Short.MAX_VALUE) {
      return (short) value;
    }
    if (keyClass == Byte.class && value <= Byte.MAX_VALUE) {
      return (byte) value;
    }
    throw new ExpressionProblem(
        index.column(),
        String.format(
            "index %s at column %d does not fit the %s keys of '%s'.",
            index.text(), index.column(), keyClass.getSimpleName(), hop.fromPath()));
  }

  private static MethodHandle handle(Member member, Hop<Type> hop, Step.Property property) {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    try {
      return unreflect(lookup, member);
    } catch (IllegalAccessException notPublic) {
      // Not public, or in a class that is not: read it with the access of its own class.
      try {
        return unreflect(MethodHandles.privateLookupIn(member.getDeclaringClass(), lookup), member);
      } catch (IllegalAccessException notOpen) {
        Class<?> declaring = member.getDeclaringClass();
        Module library = ReflectionCompiler.class.getModule();
        throw new ExpressionProblem(
            property.column(),
            String.format(
                "property '%s' at column %d of '%s' cannot be read: %s of %s is not open to %s; open"
                    + " the package to it in module-info.java (opens %s to %s;).",
                property.name(),
                property.column(),
                hop.fromPath(),
                declaring.getPackageName(),
                declaring.getModule(),
                library,
                declaring.getPackageName(),
                library.isNamed() ? library.getName() : "ALL-UNNAMED"));
      }
    }
  }

  private static MethodHandle unreflect(MethodHandles.Lookup lookup, Member member)
      throws IllegalAccessException {
    return member instanceof Method method
        ? lookup.unreflect(method)
        : lookup.unreflectGetter((Field) member);
  }
}
