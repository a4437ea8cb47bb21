package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyExpressionEvaluationTest {

  enum Currency {
    EUR,
    USD;

    @Override
    public String toString() {
      return "currency " + name().toLowerCase(Locale.ROOT);
    }
  }

  record Customer(String id, String name) {}

  record ChargeCommand(UUID id, Customer customer, BigDecimal amount, Currency currency) {}

  record Line(String sku, int quantity) {}

  /** A JavaBean with a getter, boolean and Boolean isX getters, and a public field. */
  static final class Order {
    public final int quantity;
    private final String number;
    private final boolean express;
    private final Boolean gift;

    Order(String number, boolean express, Boolean gift, int quantity) {
      this.number = number;
      this.express = express;
      this.gift = gift;
      this.quantity = quantity;
    }

    public String getNumber() {
      return number;
    }

    public boolean isExpress() {
      return express;
    }

    public Boolean isGift() {
      return gift;
    }
  }

  static class Envelope<P> {
    private final P payload;

    Envelope(P payload) {
      this.payload = payload;
    }

    public P getPayload() {
      return payload;
    }
  }

  static final class OrderEnvelope extends Envelope<Order> {
    OrderEnvelope(Order payload) {
      super(payload);
    }
  }

  interface Identified {
    String getId();
  }

  record Account(String id) implements Identified {
    @Override
    public String getId() {
      return "account-" + id;
    }
  }

  private record Secret(String code) {}

  /** The annotated methods; their bodies never run. */
  @SuppressWarnings("unused")
  static final class Methods {
    void charge(ChargeCommand cmd) {}

    void place(String tenant, Order order) {}

    void containers(
        List<Line> lines,
        Line[] array,
        int[] numbers,
        Map<String, String> attrs,
        Map<Integer, String> byNumber,
        Map<Long, Line> byLong,
        List<List<String>> nested) {}

    void envelopes(Envelope<Order> envelope, OrderEnvelope orderEnvelope) {}

    <C extends Identified> void generic(C cmd, List<? extends Customer> customers) {}

    void scalars(
        int i,
        long l,
        double d,
        boolean b,
        char c,
        Integer boxed,
        BigInteger big,
        BigDecimal amount,
        UUID id,
        Instant instant,
        LocalDate date,
        ZonedDateTime zoned,
        Duration duration,
        Currency currency,
        StringBuilder text) {}

    void run(String[] args) {}

    void account(Account account) {}

    void secret(Secret secret) {}

    void nothing() {}
  }

  private static final UUID ID = UUID.fromString("6f1c1e38-7c9c-4a4e-9c1a-3d2f5b8e9a10");
  private static final ChargeCommand CHARGE =
      new ChargeCommand(ID, new Customer("c-7", "Ada"), new BigDecimal("10.0"), Currency.EUR);

  private static String evaluate(String method, String expression, Object... args) {
    return KeyExpression.compile(method(method), expression).evaluate(args);
  }

  static Method method(String name) {
    return Arrays.stream(Methods.class.getDeclaredMethods())
        .filter(method -> method.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void readsRecordComponents() {
    assertEquals(ID.toString(), evaluate("charge", "#cmd.id", CHARGE));
    assertEquals("c-7", evaluate("charge", "#cmd.customer.id", CHARGE));
    assertEquals("Ada", evaluate("charge", "#cmd.customer.name", CHARGE));
  }

  @Test
  void enumsUseTheirNameNotTheirToString() {
    assertEquals("EUR", evaluate("charge", "#cmd.currency", CHARGE));
  }

  @Test
  void bigDecimalKeepsItsScale() {
    assertEquals("10.0", evaluate("charge", "#cmd.amount", CHARGE));
    ChargeCommand ten = new ChargeCommand(ID, CHARGE.customer(), BigDecimal.TEN, Currency.EUR);
    assertEquals("10", evaluate("charge", "#cmd.amount", ten));
  }

  @Test
  void aRecordAsAWholeUsesItsValueBasedText() {
    assertEquals("Customer[id=c-7, name=Ada]", evaluate("charge", "#cmd.customer", CHARGE));
    assertEquals(CHARGE.toString(), evaluate("charge", "#cmd", CHARGE));
  }

  @Test
  void readsGettersIncludingIsGettersAndPublicFields() {
    Order order = new Order("o-1", true, Boolean.FALSE, 3);
    assertEquals("o-1", evaluate("place", "#order.number", "acme", order));
    assertEquals("true", evaluate("place", "#order.express", "acme", order));
    assertEquals("false", evaluate("place", "#order.gift", "acme", order));
    assertEquals("3", evaluate("place", "#order.quantity", "acme", order));
  }

  @Test
  void aRecordComponentWinsOverAGetterOfTheSameProperty() {
    assertEquals("a-1", evaluate("account", "#account.id", new Account("a-1")));
  }

  @Test
  void propertiesAreResolvedAgainstTheStaticType() {
    // Declared as an Identified, the account is read through Identified.getId().
    assertEquals("account-a-1", evaluate("generic", "#cmd.id", new Account("a-1"), List.of()));
  }

  @Test
  void resolvesPropertiesOfGenericTypes() {
    Order order = new Order("o-2", false, null, 1);
    assertEquals(
        "o-2", evaluate("envelopes", "#envelope.payload.number", new Envelope<>(order), null));
    assertEquals(
        "o-2",
        evaluate("envelopes", "#orderEnvelope.payload.number", null, new OrderEnvelope(order)));
  }

  @Test
  void resolvesTypeVariablesAndWildcardsToTheirBounds() {
    Identified identified = () -> "i-9";
    List<Customer> customers = List.of(new Customer("c-1", "Bo"));
    assertEquals("i-9", evaluate("generic", "#cmd.id", identified, customers));
    assertEquals("Bo", evaluate("generic", "#customers[0].name", identified, customers));
  }

  @Test
  void readsListArrayAndMapElements() {
    List<Line> lines = new LinkedList<>(List.of(new Line("a", 1), new Line("b", 2)));
    Line[] array = {new Line("c", 3)};
    int[] numbers = {4, 5, 6};
    Map<String, String> attrs = Map.of("tenant", "acme");
    Map<Integer, String> byNumber = Map.of(7, "seven");
    Map<Long, Line> byLong = Map.of(8L, new Line("d", 4));
    List<List<String>> nested = List.of(List.of("x", "y"));
    Object[] args = {lines, array, numbers, attrs, byNumber, byLong, nested};
    KeyExpression listElement = KeyExpression.compile(method("containers"), "#lines[1].sku");
    assertEquals("b", listElement.evaluate(args));
    assertEquals("c", evaluate("containers", "#array[0].sku", args));
    assertEquals("6", evaluate("containers", "#numbers[2]", args));
    assertEquals("acme", evaluate("containers", "#attrs['tenant']", args));
    assertEquals("seven", evaluate("containers", "#byNumber[7]", args));
    assertEquals("4", evaluate("containers", "#byLong[8].quantity", args));
    assertEquals("y", evaluate("containers", "#nested[0][1]", args));
  }

  @Test
  void readsParametersByPosition() {
    Order order = new Order("o-3", false, null, 1);
    assertEquals("acme", evaluate("place", "#p0", "acme", order));
    assertEquals("o-3", evaluate("place", "#a1.number", "acme", order));
    assertEquals("o-3", evaluate("place", "#args[1].number", "acme", order));
  }

  @Test
  void aParameterNamedArgsIsReadByName() {
    assertEquals("first", evaluate("run", "#args[0]", (Object) new String[] {"first"}));
  }

  @Test
  void literalsAreConstants() {
    assertEquals("fixed", evaluate("nothing", "'fixed'"));
    assertEquals("42", evaluate("nothing", "42"));
    assertEquals("it's", evaluate("nothing", "'it''s'"));
    assertEquals("ab1", evaluate("nothing", "'a' + 'b' + 1"));
  }

  @Test
  void concatenatesPartsWithoutASeparator() {
    Order order = new Order("o-4", false, null, 1);
    assertEquals("acme:o-4", evaluate("place", "#tenant + ':' + #order.number", "acme", order));
    assertEquals("acmeo-4", evaluate("place", "#tenant+#order.number", "acme", order));
    assertEquals(
        "acme:o-4:1",
        evaluate(
            "place", "  #tenant +':'+  #order.number + ':' + #order.quantity  ", "acme", order));
  }

  @Test
  void aSingleStringPartIsReturnedAsItIs() {
    String tenant = new String("acme".toCharArray());
    KeyExpression expression = KeyExpression.compile(method("place"), "#tenant");
    assertSame(tenant, expression.evaluate(new Object[] {tenant, null}));
    KeyExpression constant = KeyExpression.compile(method("nothing"), "'one'");
    assertSame(constant.evaluate(new Object[0]), constant.evaluate(new Object[0]));
  }

  @Test
  void scalarsHaveTheirCanonicalText() {
    Instant instant = Instant.parse("2024-05-01T10:15:30Z");
    Object[] args = {
      7,
      8L,
      2.5d,
      true,
      'x',
      9,
      new BigInteger("12345678901234567890"),
      new BigDecimal("1E+3"),
      ID,
      instant,
      LocalDate.of(2024, 5, 1),
      instant.atZone(ZoneOffset.UTC),
      Duration.ofMinutes(90),
      Currency.USD,
      new StringBuilder("built")
    };
    String expression =
        "#i + '|' + #l + '|' + #d + '|' + #b + '|' + #c + '|' + #boxed + '|' + #big + '|' + #amount"
            + " + '|' + #id + '|' + #instant + '|' + #date + '|' + #zoned + '|' + #duration + '|'"
            + " + #currency + '|' + #text";
    assertEquals(
        "7|8|2.5|true|x|9|12345678901234567890|1E+3|"
            + ID
            + "|2024-05-01T10:15:30Z|2024-05-01|2024-05-01T10:15:30Z|PT1H30M|USD|built",
        evaluate("scalars", expression, args));
  }

  @Test
  void equalAmountsWithDifferentScalesAreDifferentKeys() {
    KeyExpression amount = KeyExpression.compile(method("charge"), "#cmd.amount");
    ChargeCommand ten = new ChargeCommand(ID, CHARGE.customer(), new BigDecimal("10"), null);
    ChargeCommand tenPointZero =
        new ChargeCommand(ID, CHARGE.customer(), new BigDecimal("10.0"), null);
    assertNotEquals(
        amount.evaluate(new Object[] {ten}), amount.evaluate(new Object[] {tenPointZero}));
  }

  @Test
  void readsPrivateNestedRecords() {
    assertEquals("s-1", evaluate("secret", "#secret.code", new Secret("s-1")));
  }

  @Test
  void remembersItsSource() {
    KeyExpression expression = KeyExpression.compile(method("charge"), "#cmd.id");
    assertEquals("#cmd.id", expression.source());
    assertEquals("#cmd.id", expression.toString());
  }
}
