package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.idempotent.rules.expr.CheckedExpression.Constant;
import dev.idempotent.rules.expr.CheckedExpression.Hop;
import dev.idempotent.rules.expr.CheckedExpression.Read;
import dev.idempotent.rules.expr.TypeModel.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The checker works from a {@link TypeModel} alone, so an annotation processor can run it over
 * {@code javax.lang.model} types. Here the model is a table of type names.
 */
class ExpressionCheckerTest {

  /** Types are names; "List<X>" is a list of X, "Map<K,V>" a map. */
  private static final class NamedTypes implements TypeModel<String> {
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final Map<String, SortedMap<String, String>> properties = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> components = new LinkedHashMap<>();

    NamedTypes scalar(String name, Kind kind) {
      kinds.put(name, kind);
      return this;
    }

    NamedTypes record(String name, Map<String, String> components) {
      kinds.put(name, Kind.RECORD);
      this.components.put(name, new LinkedHashMap<>(components));
      properties.put(name, new TreeMap<>(components));
      return this;
    }

    @Override
    public Kind kind(String type) {
      if (type.startsWith("List<")) {
        return Kind.LIST;
      }
      if (type.startsWith("Map<")) {
        return Kind.MAP;
      }
      return kinds.getOrDefault(type, Kind.OTHER);
    }

    @Override
    public String displayName(String type) {
      return type;
    }

    @Override
    public SortedMap<String, String> properties(String type) {
      return properties.getOrDefault(type, new TreeMap<>());
    }

    @Override
    public SortedMap<String, String> refusedProperties(String type) {
      return new TreeMap<>();
    }

    @Override
    public Map<String, String> recordComponents(String type) {
      return components.getOrDefault(type, Map.of());
    }

    @Override
    public String elementType(String type) {
      return type.substring("List<".length(), type.length() - 1);
    }

    @Override
    public String mapKeyType(String type) {
      return type.substring("Map<".length(), type.indexOf(','));
    }

    @Override
    public String mapValueType(String type) {
      return type.substring(type.indexOf(',') + 1, type.length() - 1);
    }
  }

  private static final NamedTypes TYPES =
      new NamedTypes()
          .scalar("String", Kind.STRING)
          .scalar("long", Kind.INTEGER)
          .record("Line", Map.of("sku", "String", "cents", "long"))
          .record(
              "Order", Map.of("id", "String", "lines", "List<Line>", "attrs", "Map<String,long>"))
          .record("Shipment", Map.of("id", "String", "lines", "List<Line>"));

  private static final List<ParameterView<String>> PARAMETERS =
      List.of(
          new ParameterView<>("tenant", "String"),
          new ParameterView<>("order", "Order"),
          new ParameterView<>("shipment", "Shipment"));

  private static CheckedExpression<String> check(String expression) {
    return ExpressionChecker.check(ExpressionParser.parse(expression), PARAMETERS, TYPES);
  }

  @Test
  void resolvesEveryHopWithItsTypesAndPaths() {
    CheckedExpression<String> checked = check("#tenant + '/' + #order.lines[0].sku");
    Read<String> lineSku = (Read<String>) checked.parts().get(2);
    String path = "#order.lines[0].sku";
    assertEquals(
        List.of(
            new Hop<>(
                new Step.Property("lines", 24), "Order", Kind.RECORD, "List<Line>", path, 6, 12),
            new Hop<>(new Step.Index(0, 29), "List<Line>", Kind.LIST, "Line", path, 12, 15),
            new Hop<>(new Step.Property("sku", 33), "Line", Kind.RECORD, "String", path, 15, 19)),
        lineSku.hops());
    assertEquals(
        List.of("#order", "#order.lines", "#order.lines[0]"),
        lineSku.hops().stream().map(Hop::fromPath).toList());
    assertEquals(
        List.of("#order.lines", "#order.lines[0]", "#order.lines[0].sku"),
        lineSku.hops().stream().map(Hop::path).toList());
    assertEquals(1, lineSku.parameter());
    assertEquals(Kind.STRING, lineSku.kind());
    assertEquals(
        new Read<>(0, "#tenant", "String", List.of(), Kind.STRING), checked.parts().get(0));
  }

  @Test
  void joinsAdjacentLiteralsIntoOneConstant() {
    assertEquals(
        List.of(
            new Constant<String>("a:1"), new Read<>(0, "#p0", "String", List.of(), Kind.STRING)),
        check("'a' + ':' + 1 + #p0").parts());
  }

  @Test
  void readsMapValuesByStringKey() {
    Read<String> read = (Read<String>) check("#order.attrs['x']").parts().get(0);
    assertEquals(Kind.INTEGER, read.kind());
  }

  @Test
  void reportsUnknownPropertiesFromTheModel() {
    ExpressionProblem problem = assertThrows(ExpressionProblem.class, () -> check("#order.total"));
    assertEquals(8, problem.column());
    assertEquals(
        "unknown property 'total' of Order at column 8; it has: attrs, id, lines.",
        problem.getMessage());
  }

  @Test
  void aRecordWhoseListsHoldStableValuesIsAKey() {
    Read<String> read = (Read<String>) check("#shipment").parts().get(0);
    assertEquals(Kind.RECORD, read.kind());
  }

  @Test
  void aRecordWithAMapIsNotAKeyAndOnlyScalarPropertiesAreSuggested() {
    ExpressionProblem problem = assertThrows(ExpressionProblem.class, () -> check("#order"));
    assertEquals(
        "'#order' at column 1 has type Order, a record whose component 'attrs' has type"
            + " Map<String,long>, which has no stable text form, so a retried call could compute a"
            + " different key; select a property that is a String, number, enum or UUID, such as"
            + " #order.id.",
        problem.getMessage());
  }
}
