package dev.idempotent.rules.expr;

import dev.idempotent.rules.expr.CheckedExpression.Constant;
import dev.idempotent.rules.expr.CheckedExpression.Hop;
import dev.idempotent.rules.expr.CheckedExpression.Part;
import dev.idempotent.rules.expr.CheckedExpression.Read;
import dev.idempotent.rules.expr.TypeModel.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Resolves a parsed key expression against a method's parameters and their static types: which
 * parameter each {@code #name} means, what each property, index and key step yields, and whether
 * the final values have a stable text form. Every definition error of an expression that parses is
 * found here, through a {@link TypeModel} only, so that the same rules hold at run time and in an
 * annotation processor; the only errors left to a compiler are those its representation alone can
 * tell, such as a member it is not allowed to access.
 *
 * <p>A parameter name wins over the positional forms: a parameter called {@code p0} or {@code args}
 * is read by {@code #p0} or {@code #args}. Thread-safe: each call checks with its own state.
 *
 * @param <T> how the type model represents types
 */
public final class ExpressionChecker<T> {
  private static final Pattern POSITION = Pattern.compile("[pa](0|[1-9][0-9]{0,8})");
  private static final int MAX_SUGGESTIONS = 5;

  private final List<ParameterView<T>> parameters;
  private final TypeModel<T> model;

  private ExpressionChecker(List<ParameterView<T>> parameters, TypeModel<T> model) {
    this.parameters = List.copyOf(parameters);
    this.model = model;
  }

  /**
   * Checks an expression against a method's parameters.
   *
   * @param expression the parsed expression
   * @param parameters the method's parameters in declaration order
   * @param model answers questions about the parameters' types
   * @param <T> how the type model represents types
   * @return the expression with every step resolved
   * @throws ExpressionProblem at the first name, property, index or final type that does not fit,
   *     listing what would be valid
   */
  public static <T> CheckedExpression<T> check(
      ParsedExpression expression, List<ParameterView<T>> parameters, TypeModel<T> model) {
    ExpressionChecker<T> checker = new ExpressionChecker<>(parameters, model);
    List<Part<T>> parts = new ArrayList<>();
    StringBuilder constant = new StringBuilder();
    boolean pendingConstant = false;
    for (Term term : expression.terms()) {
      if (term instanceof Term.Literal literal) {
        constant.append(literal.text());
        pendingConstant = true;
        continue;
      }
      if (pendingConstant) {
        parts.add(new Constant<>(constant.toString()));
        constant.setLength(0);
        pendingConstant = false;
      }
      parts.add(checker.read((Term.Path) term));
    }
    if (pendingConstant) {
      parts.add(new Constant<>(constant.toString()));
    }
    return new CheckedExpression<>(expression.source(), parts);
  }

  private Read<T> read(Term.Path path) {
    Root root = root(path);
    List<Step> steps = path.steps().subList(root.stepsUsed(), path.steps().size());
    StringBuilder text = new StringBuilder(root.written());
    int[] ends = new int[steps.size()];
    for (int i = 0; i < ends.length; i++) {
      ends[i] = text.append(steps.get(i).text()).length();
    }
    String full = text.toString();
    T rootType = parameters.get(root.parameter()).type();
    T type = rootType;
    Kind kind = model.kind(type);
    Prefix written = new Prefix(full, root.written().length());
    List<Hop<T>> hops = new ArrayList<>(steps.size());
    for (int i = 0; i < ends.length; i++) {
      Step step = steps.get(i);
      T next;
      if (step instanceof Step.Property property) {
        next = property(type, kind, written, property);
      } else if (step instanceof Step.Index index) {
        next = index(type, kind, written, index);
      } else {
        next = key(type, kind, written, (Step.Key) step);
      }
      hops.add(new Hop<>(step, type, kind, next, full, written.end(), ends[i]));
      type = next;
      kind = model.kind(next);
      written = new Prefix(full, ends[i]);
    }
    requireStableText(type, kind, written, path.column());
    return new Read<>(root.parameter(), root.written(), rootType, hops, kind);
  }

  /**
   * The path read so far, cut from the whole path only when a message prints it, so that checking a
   * path does not copy it at every step.
   */
  private record Prefix(String full, int end) {
    @Override
    public String toString() {
      return full.substring(0, end);
    }
  }

  /** The parameter a path starts at, how it is written, and how many steps naming it took. */
  private record Root(int parameter, String written, int stepsUsed) {}

  private Root root(Term.Path path) {
    String name = path.variable();
    int column = path.column();
    for (int i = 0; i < parameters.size(); i++) {
      if (name.equals(parameters.get(i).name())) {
        return new Root(i, "#" + name, 0);
      }
    }
    if (POSITION.matcher(name).matches()) {
      return new Root(
          position(Integer.parseInt(name.substring(1)), "#" + name, column), "#" + name, 0);
    }
    if (name.equals("args")) {
      if (!path.steps().isEmpty() && path.steps().get(0) instanceof Step.Index index) {
        String written = "#args" + index.text();
        return new Root(position(index.index(), written, column), written, 1);
      }
      throw problem(
          column,
          "'#args' at column %d needs a position such as #args[0]; %s.",
          column,
          parameterCount());
    }
    if (parameters.stream().anyMatch(parameter -> parameter.name() == null)) {
      throw problem(
          column,
          "parameter '#%s' at column %d cannot be found by name: the class file has no parameter"
              + " names (compile with -parameters); refer to parameters by position instead: %s.",
          name,
          column,
          positionsWithTypes());
    }
    if (parameters.isEmpty()) {
      throw problem(
          column,
          "unknown parameter '#%s' at column %d; the method has no parameters, so a key expression"
              + " can only be a 'string' or a number.",
          name,
          column);
    }
    StringJoiner valid = new StringJoiner(", ");
    parameters.forEach(parameter -> valid.add("#" + parameter.name()));
    for (int i = 0; i < parameters.size(); i++) {
      valid.add("#p" + i);
    }
    throw problem(
        column, "unknown parameter '#%s' at column %d; valid are: %s.", name, column, valid);
  }

  private int position(int position, String written, int column) {
    if (position >= parameters.size()) {
      throw problem(
          column, "'%s' at column %d is out of range; %s.", written, column, parameterCount());
    }
    return position;
  }

  private String parameterCount() {
    int count = parameters.size();
    if (count == 0) {
      return "the method has no parameters";
    }
    if (count == 1) {
      return "the method has 1 parameter, #p0";
    }
    return "the method has " + count + " parameters, #p0 to #p" + (count - 1);
  }

  private String positionsWithTypes() {
    StringJoiner positions = new StringJoiner(", ");
    for (int i = 0; i < parameters.size(); i++) {
      positions.add("#p" + i + " (" + model.displayName(parameters.get(i).type()) + ")");
    }
    return positions.toString();
  }

  private T property(T type, Kind kind, Prefix written, Step.Property property) {
    SortedMap<String, T> properties = model.properties(type);
    String name = property.name();
    int column = property.column();
    T found = properties.get(name);
    if (found != null) {
      return found;
    }
    String refused = model.refusedProperties(type).get(name);
    if (refused != null) {
      throw problem(
          column,
          "property '%s' at column %d of '%s' (type %s) would call %s; a key expression only"
              + " reads, so getters that the JDK declares are not properties (many change or"
              + " compute what they return, such as getAndIncrement() or getInputStream()); read a"
              + " getter or field that %s declares itself.",
          name,
          column,
          written,
          model.displayName(type),
          refused,
          model.displayName(type));
    }
    if (properties.isEmpty()) {
      String instead;
      if (kind == Kind.LIST || kind == Kind.ARRAY) {
        instead = "select an element first, such as " + written + "[0]." + name;
      } else if (kind == Kind.MAP) {
        instead = "select a value first, such as " + written + "['key']." + name;
      } else if (kind.isScalar()) {
        instead = "use " + written + " itself";
      } else {
        instead = "declare it with a type that has the property";
      }
      throw problem(
          column,
          "property '%s' at column %d cannot be read from '%s' of type %s, which has no"
              + " properties; %s.",
          name,
          column,
          written,
          model.displayName(type),
          instead);
    }
    throw problem(
        column,
        "unknown property '%s' of %s at column %d; it has: %s.",
        name,
        model.displayName(type),
        column,
        String.join(", ", properties.keySet()));
  }

  private T index(T type, Kind kind, Prefix written, Step.Index index) {
    int column = index.column();
    if (kind == Kind.LIST || kind == Kind.ARRAY) {
      return model.elementType(type);
    }
    if (kind == Kind.MAP) {
      T keyType = model.mapKeyType(type);
      Kind keyKind = model.kind(keyType);
      if (keyKind == Kind.INTEGER) {
        return model.mapValueType(type);
      }
      throw problem(
          column,
          "index %s at column %d cannot select from '%s' of type %s, whose keys are %s; %s.",
          index.text(),
          column,
          written,
          model.displayName(type),
          model.displayName(keyType),
          keyKind == Kind.STRING
              ? "use a string key such as " + written + "['name']"
              : "only maps with String or integer keys can be read");
    }
    throw problem(
        column,
        "index %s at column %d needs a List, an array or a Map with integer keys, but '%s' has type"
            + " %s.",
        index.text(),
        column,
        written,
        model.displayName(type));
  }

  private T key(T type, Kind kind, Prefix written, Step.Key key) {
    int column = key.column();
    if (kind == Kind.MAP) {
      T keyType = model.mapKeyType(type);
      Kind keyKind = model.kind(keyType);
      if (keyKind == Kind.STRING) {
        return model.mapValueType(type);
      }
      throw problem(
          column,
          "key %s at column %d cannot select from '%s' of type %s, whose keys are %s; %s.",
          key.text(),
          column,
          written,
          model.displayName(type),
          model.displayName(keyType),
          keyKind == Kind.INTEGER
              ? "use an integer index such as " + written + "[0]"
              : "only maps with String or integer keys can be read");
    }
    throw problem(
        column,
        "key %s at column %d needs a Map, but '%s' has type %s%s.",
        key.text(),
        column,
        written,
        model.displayName(type),
        kind == Kind.LIST || kind == Kind.ARRAY
            ? "; use an integer index such as " + written + "[0]"
            : "");
  }

  private void requireStableText(T type, Kind kind, Prefix written, int column) {
    if (kind.isScalar()) {
      return;
    }
    String display = model.displayName(type);
    if (kind == Kind.LIST || kind == Kind.ARRAY) {
      throw problem(
          column,
          "'%s' at column %d has type %s, which is not a key by itself; select an element such as"
              + " %s[0].",
          written,
          column,
          display,
          written);
    }
    if (kind == Kind.MAP) {
      throw problem(
          column,
          "'%s' at column %d has type %s, which is not a key by itself; select a value such as"
              + " %s['key'].",
          written,
          column,
          display,
          written);
    }
    if (kind == Kind.RECORD) {
      Unstable<T> unstable = unstableComponent(type, new ArrayList<>());
      if (unstable == null) {
        return;
      }
      throw problem(
          column,
          "'%s' at column %d has type %s, a record whose component '%s' has type %s, which has no"
              + " stable text form, so a retried call could compute a different key; %s",
          written,
          column,
          display,
          unstable.component(),
          model.displayName(unstable.type()),
          selectProperty(type, written));
    }
    throw problem(
        column,
        "'%s' at column %d has type %s, which has no stable text form, so a retried call could"
            + " compute a different key; %s",
        written,
        column,
        display,
        selectProperty(type, written));
  }

  /** Advice ending in a full stop: the properties that would make a good key, or why none do. */
  private String selectProperty(T type, Prefix written) {
    String advice = "select a property that is a String, number, enum or UUID";
    SortedMap<String, T> properties = model.properties(type);
    StringJoiner suggestions = new StringJoiner(", ");
    int count = 0;
    for (Map.Entry<String, T> property : properties.entrySet()) {
      if (count < MAX_SUGGESTIONS && isKey(property.getValue())) {
        suggestions.add(written + "." + property.getKey());
        count++;
      }
    }
    String display = model.displayName(type);
    if (count > 0) {
      return advice + ", such as " + suggestions + ".";
    }
    if (!properties.isEmpty()) {
      return advice + "; " + display + " has: " + String.join(", ", properties.keySet()) + ".";
    }
    return advice + "; " + display + " has no properties, so declare a more specific type.";
  }

  /** Whether a value of {@code type} may be a key, or a part of one, as it is. */
  private boolean isKey(T type) {
    Kind kind = model.kind(type);
    return kind.isScalar()
        || (kind == Kind.RECORD && unstableComponent(type, new ArrayList<>()) == null);
  }

  /** A record component, as a dotted path from the outer record, whose text is not stable. */
  private record Unstable<U>(String component, U type) {}

  private Unstable<T> unstableComponent(T record, List<T> visiting) {
    // A record that contains itself is judged by its other components.
    if (visiting.contains(record)) {
      return null;
    }
    visiting.add(record);
    try {
      for (Map.Entry<String, T> component : model.recordComponents(record).entrySet()) {
        T type = component.getValue();
        if (model.kind(type) == Kind.RECORD) {
          Unstable<T> inner = unstableComponent(type, visiting);
          if (inner != null) {
            return new Unstable<>(component.getKey() + "." + inner.component(), inner.type());
          }
        } else if (!hasStableText(type, visiting)) {
          return new Unstable<>(component.getKey(), type);
        }
      }
      return null;
    } finally {
      visiting.remove(visiting.size() - 1);
    }
  }

  /**
   * Whether the text of a value of {@code type} is the same for equal values in every JVM. A list
   * inside a record qualifies when its elements do, because the record's text includes the list's
   * text in order; a map's iteration order, and so its text, can differ between equal maps.
   */
  private boolean hasStableText(T type, List<T> visiting) {
    Kind kind = model.kind(type);
    if (kind.isScalar()) {
      return true;
    }
    if (kind == Kind.RECORD) {
      return unstableComponent(type, visiting) == null;
    }
    if (kind == Kind.LIST) {
      return hasStableText(model.elementType(type), visiting);
    }
    return false;
  }

  private static ExpressionProblem problem(int column, String format, Object... args) {
    return new ExpressionProblem(column, String.format(format, args));
  }
}
