package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.idempotent.IdempotencyDefinitionException;
import dev.idempotent.Idempotent;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every mistake in a key expression is reported by {@code compile}, naming the class, the method,
 * the attribute, the expression and the column, and listing what would have been valid.
 */
class KeyExpressionDefinitionErrorTest {

  record Customer(String id, String name) {}

  record ChargeCommand(String id, Customer customer, BigDecimal amount) {}

  record TaggedCommand(String id, Meta meta) {}

  record Meta(String source, Set<String> tags) {}

  /** A class without a value-based toString, so it is no key by itself. */
  static final class PlainCommand {
    public String getReference() {
      return "r";
    }

    public long getTotal() {
      return 1;
    }

    public Object getDetails() {
      return null;
    }
  }

  /** Has only properties without a stable text form. */
  static final class Opaque {
    public Object getDetails() {
      return null;
    }

    public Set<String> getTags() {
      return Set.of();
    }
  }

  @SuppressWarnings("unused")
  static final class Payments {
    @Idempotent(keyExpr = "#cmd.id")
    void charge(ChargeCommand cmd) {}

    void transfer(String tenant, ChargeCommand cmd) {}

    void lookup(
        List<String> items,
        Map<String, String> attrs,
        Map<Integer, String> byNumber,
        Map<Customer, String> byCustomer,
        String[] codes,
        Map<Byte, String> byByte) {}

    void plain(PlainCommand cmd, Object anything, Opaque opaque) {}

    void tagged(TaggedCommand cmd) {}

    void ping() {}
  }

  private static final String PAYMENTS = Payments.class.getName();

  private static Method method(String name) {
    return Arrays.stream(Payments.class.getDeclaredMethods())
        .filter(method -> method.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Asserts that compiling fails with exactly {@code problem} after the standard prefix, and that
   * the exception is not a wrapper.
   */
  private static void assertProblem(
      String method, String signature, String expression, String problem) {
    IdempotencyDefinitionException error =
        assertThrows(
            IdempotencyDefinitionException.class,
            () -> KeyExpression.compile(method(method), expression));
    assertSame(IdempotencyDefinitionException.class, error.getClass());
    assertNull(error.getCause());
    assertEquals(
        "@Idempotent(keyExpr = \""
            + expression
            + "\") on "
            + PAYMENTS
            + "."
            + method
            + signature
            + ": "
            + problem,
        error.getMessage());
  }

  private static void assertChargeProblem(String expression, String problem) {
    assertProblem("charge", "(ChargeCommand)", expression, problem);
  }

  private static void assertTransferProblem(String expression, String problem) {
    assertProblem("transfer", "(String, ChargeCommand)", expression, problem);
  }

  private static void assertLookupProblem(String expression, String problem) {
    assertProblem("lookup", "(List, Map, Map, Map, String[], Map)", expression, problem);
  }

  // ---- names, properties and types

  @Test
  void unknownPropertyListsTheTypesProperties() {
    assertChargeProblem(
        "#cmd.idd",
        "unknown property 'idd' of ChargeCommand at column 6; it has: amount, customer, id.");
  }

  @Test
  void unknownNestedPropertyNamesTheNestedType() {
    assertChargeProblem(
        "#cmd.customer.nam", "unknown property 'nam' of Customer at column 15; it has: id, name.");
  }

  @Test
  void unknownPropertyOfABeanListsGettersButNotGetClass() {
    assertProblem(
        "plain",
        "(PlainCommand, Object, Opaque)",
        "#cmd.class",
        "unknown property 'class' of PlainCommand at column 6; it has: details, reference, total.");
  }

  @Test
  void unknownParameterListsNamesAndPositions() {
    assertTransferProblem(
        "#command.id",
        "unknown parameter '#command' at column 1; valid are: #tenant, #cmd, #p0, #p1.");
  }

  @Test
  void unknownParameterAfterAPlusPointsAtItsColumn() {
    assertTransferProblem(
        "#tenant + ':' + #cmdd.id",
        "unknown parameter '#cmdd' at column 17; valid are: #tenant, #cmd, #p0, #p1.");
  }

  @Test
  void parameterOfAMethodWithoutParameters() {
    assertProblem(
        "ping",
        "()",
        "#id",
        "unknown parameter '#id' at column 1; the method has no parameters, so a key expression"
            + " can only be a 'string' or a number.");
  }

  @Test
  void positionOutOfRange() {
    assertTransferProblem(
        "#p3", "'#p3' at column 1 is out of range; the method has 2 parameters, #p0 to #p1.");
  }

  @Test
  void aPositionOutOfRangeAsA0Form() {
    assertChargeProblem(
        "#a1.id", "'#a1' at column 1 is out of range; the method has 1 parameter, #p0.");
  }

  @Test
  void argsPositionOutOfRange() {
    assertTransferProblem(
        "#args[2].id",
        "'#args[2]' at column 1 is out of range; the method has 2 parameters, #p0 to #p1.");
  }

  @Test
  void argsWithoutAPosition() {
    assertTransferProblem(
        "#args.cmd",
        "'#args' at column 1 needs a position such as #args[0]; the method has 2 parameters, #p0"
            + " to #p1.");
  }

  @Test
  void propertyOfAStringThatHasNone() {
    assertTransferProblem(
        "#tenant.length",
        "property 'length' at column 9 cannot be read from '#tenant' of type String, which has no"
            + " properties; use #tenant itself.");
  }

  @Test
  void propertyOfAListSuggestsAnElement() {
    assertLookupProblem(
        "#items.size",
        "property 'size' at column 8 cannot be read from '#items' of type List<String>, which has"
            + " no properties; select an element first, such as #items[0].size.");
  }

  @Test
  void propertyOfAMapSuggestsAValue() {
    assertLookupProblem(
        "#attrs.tenant",
        "property 'tenant' at column 8 cannot be read from '#attrs' of type Map<String, String>,"
            + " which has no properties; select a value first, such as #attrs['key'].tenant.");
  }

  @Test
  void propertyOfObject() {
    assertProblem(
        "plain",
        "(PlainCommand, Object, Opaque)",
        "#anything.id",
        "property 'id' at column 11 cannot be read from '#anything' of type Object, which has no"
            + " properties; declare it with a type that has the property.");
  }

  @Test
  void indexOnATypeThatIsNotAList() {
    assertChargeProblem(
        "#cmd[0]",
        "index [0] at column 5 needs a List, an array or a Map with integer keys, but '#cmd' has"
            + " type ChargeCommand.");
  }

  @Test
  void stringKeyOnAList() {
    assertLookupProblem(
        "#items['first']",
        "key ['first'] at column 7 needs a Map, but '#items' has type List<String>; use an integer"
            + " index such as #items[0].");
  }

  @Test
  void stringKeyOnAnArray() {
    assertLookupProblem(
        "#codes['first']",
        "key ['first'] at column 7 needs a Map, but '#codes' has type String[]; use an integer"
            + " index such as #codes[0].");
  }

  @Test
  void stringKeyOnARecord() {
    assertChargeProblem(
        "#cmd['id']", "key ['id'] at column 5 needs a Map, but '#cmd' has type ChargeCommand.");
  }

  @Test
  void integerIndexOnAMapWithStringKeys() {
    assertLookupProblem(
        "#attrs[0]",
        "index [0] at column 7 cannot select from '#attrs' of type Map<String, String>, whose keys"
            + " are String; use a string key such as #attrs['name'].");
  }

  @Test
  void stringKeyOnAMapWithIntegerKeys() {
    assertLookupProblem(
        "#byNumber['7']",
        "key ['7'] at column 10 cannot select from '#byNumber' of type Map<Integer, String>, whose"
            + " keys are Integer; use an integer index such as #byNumber[0].");
  }

  @Test
  void keyOnAMapWhoseKeysAreNeitherStringsNorIntegers() {
    assertLookupProblem(
        "#byCustomer['c-1']",
        "key ['c-1'] at column 12 cannot select from '#byCustomer' of type Map<Customer, String>,"
            + " whose keys are Customer; only maps with String or integer keys can be read.");
  }

  @Test
  void integerIndexThatDoesNotFitTheMapsKeyClass() {
    assertLookupProblem(
        "#byByte[300]", "index [300] at column 8 does not fit the Byte keys of '#byByte'.");
  }

  @Test
  void finalValueOfTypeObject() {
    assertProblem(
        "plain",
        "(PlainCommand, Object, Opaque)",
        "#anything",
        "'#anything' at column 1 has type Object, which has no stable text form, so a retried call"
            + " could compute a different key; select a property that is a String, number, enum"
            + " or UUID; Object has no properties, so declare a more specific type.");
  }

  @Test
  void finalValueOfAPlainClassSuggestsItsStableProperties() {
    assertProblem(
        "plain",
        "(PlainCommand, Object, Opaque)",
        "#p0",
        "'#p0' at column 1 has type PlainCommand, which has no stable text form, so a retried call"
            + " could compute a different key; select a property that is a String, number, enum"
            + " or UUID, such as #p0.reference, #p0.total.");
  }

  @Test
  void finalValueOfAClassWithoutStablePropertiesListsThemAll() {
    assertProblem(
        "plain",
        "(PlainCommand, Object, Opaque)",
        "#opaque",
        "'#opaque' at column 1 has type Opaque, which has no stable text form, so a retried call"
            + " could compute a different key; select a property that is a String, number, enum"
            + " or UUID; Opaque has: details, tags.");
  }

  @Test
  void finalValueAfterAPlusPointsAtItsColumn() {
    assertProblem(
        "plain",
        "(PlainCommand, Object, Opaque)",
        "'x:' + #cmd.details",
        "'#cmd.details' at column 8 has type Object, which has no stable text form, so a retried"
            + " call could compute a different key; select a property that is a String, number,"
            + " enum or UUID; Object has no properties, so declare a more specific type.");
  }

  @Test
  void finalValueOfAListSuggestsAnElement() {
    assertLookupProblem(
        "#items",
        "'#items' at column 1 has type List<String>, which is not a key by itself; select an"
            + " element such as #items[0].");
  }

  @Test
  void finalValueOfAMapSuggestsAValue() {
    assertLookupProblem(
        "#attrs",
        "'#attrs' at column 1 has type Map<String, String>, which is not a key by itself; select a"
            + " value such as #attrs['key'].");
  }

  @Test
  void recordWithAComponentWithoutStableTextNamesTheComponent() {
    assertProblem(
        "tagged",
        "(TaggedCommand)",
        "#cmd",
        "'#cmd' at column 1 has type TaggedCommand, a record whose component 'meta.tags' has type"
            + " Set<String>, which has no stable text form, so a retried call could compute a"
            + " different key; select a property that is a String, number, enum or UUID, such as"
            + " #cmd.id.");
  }

  // ---- syntax

  @Test
  void blankExpression() {
    assertChargeProblem(
        "   ",
        "the expression is blank at column 1; write a key expression such as #p0, or leave keyExpr"
            + " empty to key on all arguments.");
  }

  @Test
  void emptyExpressionIsNotCompiled() {
    assertThrows(IllegalArgumentException.class, () -> KeyExpression.compile(method("charge"), ""));
  }

  @Test
  void unexpectedCharacterAfterAPath() {
    assertChargeProblem(
        "#cmd.id $",
        "unexpected character '$' at column 9; expected '.', '[', '+' or the end of the"
            + " expression.");
  }

  @Test
  void unexpectedCharacterWhereAnOperandBelongs() {
    assertChargeProblem(
        "{#cmd.id}",
        "unexpected character '{' at column 1; expected a parameter (#name or #p0), a 'string' or"
            + " a whole number.");
  }

  @Test
  void twoOperandsWithoutAPlus() {
    assertTransferProblem(
        "#tenant #cmd.id",
        "unexpected character '#' at column 9; expected '.', '[', '+' or the end of the"
            + " expression.");
  }

  @Test
  void unterminatedString() {
    assertTransferProblem(
        "#tenant + ':",
        "unterminated string starting at column 11; close it with a single quote ('), and write a"
            + " quote inside a string twice ('').");
  }

  @Test
  void doubleQuotedString() {
    assertTransferProblem(
        "#tenant + \":\"",
        "double quote at column 11; string literals use single quotes, such as 'text'.");
  }

  @Test
  void trailingPlus() {
    assertTransferProblem(
        "#tenant +",
        "the expression ends after '+' at column 9; expected a parameter (#name or #p0), a"
            + " 'string' or a whole number after it.");
  }

  @Test
  void leadingPlus() {
    assertTransferProblem(
        "+ #tenant",
        "'+' at column 1 has nothing before it; expected a parameter (#name or #p0), a 'string'"
            + " or a whole number.");
  }

  @Test
  void emptyPartBetweenPlusSigns() {
    assertTransferProblem(
        "#tenant + + #cmd.id",
        "nothing between '+' at column 9 and '+' at column 11; expected a parameter (#name or"
            + " #p0), a 'string' or a whole number.");
  }

  @Test
  void getterCallSuggestsTheProperty() {
    assertChargeProblem(
        "#cmd.getId()",
        "method call 'getId()' at column 6 is not allowed: a key expression only reads values;"
            + " read the property instead: #cmd.id.");
  }

  @Test
  void otherMethodCall() {
    assertChargeProblem(
        "#cmd.customer.toString()",
        "method call 'toString()' at column 15 is not allowed: a key expression only reads"
            + " values; select a property (record component, getter or public field) instead.");
  }

  @Test
  void functionCallOnAVariable() {
    assertChargeProblem(
        "#cmd()",
        "'(' at column 5 is not allowed: a key expression cannot call methods or functions; it"
            + " reads parameters (#name or #p0), their properties and literals.");
  }

  @Test
  void typeReference() {
    assertChargeProblem(
        "T(java.lang.System).exit(0)",
        "type reference 'T(' at column 1 is not allowed: a key expression cannot refer to types or"
            + " call static methods; it reads parameters (#name or #p0), their properties and"
            + " literals.");
  }

  @Test
  void constructor() {
    assertChargeProblem(
        "new java.io.File('x')",
        "'new' at column 1 is not allowed: a key expression cannot create objects; it reads"
            + " parameters (#name or #p0), their properties and literals.");
  }

  @Test
  void assignment() {
    assertChargeProblem(
        "#cmd.id = 'x'",
        "'=' at column 9 is not allowed: a key expression cannot assign, compare or combine"
            + " values; only '+' joins parts of a key.");
  }

  @Test
  void ternary() {
    assertChargeProblem(
        "#cmd.id ?: 'none'",
        "'?' at column 9 is not allowed: a key expression has no conditionals or safe navigation;"
            + " a null on the path is reported when the key is computed.");
  }

  @Test
  void safeNavigation() {
    assertChargeProblem(
        "#cmd?.id",
        "'?' at column 5 is not allowed: a key expression has no conditionals or safe navigation;"
            + " a null on the path is reported when the key is computed.");
  }

  @Test
  void arithmetic() {
    assertChargeProblem(
        "#cmd.amount * 100",
        "'*' at column 13 is not allowed: a key expression has no arithmetic; only '+' joins parts"
            + " of a key.");
  }

  @Test
  void parameterWithoutHash() {
    assertChargeProblem("cmd.id", "'cmd' at column 1 is not a parameter reference; write #cmd.");
  }

  @Test
  void hashWithoutAName() {
    assertChargeProblem(
        "# cmd", "expected a parameter name after '#' at column 1, such as #p0, found '\\u0020'.");
  }

  @Test
  void nullLiteral() {
    assertChargeProblem(
        "null",
        "'null' at column 1 is not allowed; a constant in a key is a 'string' or a whole number.");
  }

  @Test
  void emptyPropertyName() {
    assertChargeProblem(
        "#cmd..id", "expected a property name after '.' at column 5, found '.' at column 6.");
  }

  @Test
  void trailingDot() {
    assertChargeProblem(
        "#cmd.", "the expression ends after '.' at column 5; expected a property name.");
  }

  @Test
  void emptyIndex() {
    assertLookupProblem(
        "#items[]",
        "empty index '[]' at column 7; expected an integer such as [0] or a string key such as"
            + " ['name'].");
  }

  @Test
  void unclosedIndex() {
    assertLookupProblem(
        "#items[0", "expected ']' to close '[' at column 7, found the end of the expression.");
  }

  @Test
  void computedIndex() {
    assertLookupProblem(
        "#items[#p1]",
        "index at column 8 must be a literal such as [0] or ['name']; computed indexes are not"
            + " allowed.");
  }

  @Test
  void negativeIndex() {
    assertLookupProblem(
        "#items[-1]",
        "expected an integer index such as [0] or a string key such as ['name'] after '[' at"
            + " column 7, found '-'.");
  }

  @Test
  void indexTooLarge() {
    assertLookupProblem(
        "#items[3000000000]",
        "index 3000000000 at column 8 is too large; the largest index is 2147483647.");
  }

  @Test
  void decimalNumber() {
    assertChargeProblem(
        "#cmd.id + 1.5",
        "decimal number at column 11 is not allowed; write it as a string such as '1.5'.");
  }

  @Test
  void beanReference() {
    assertChargeProblem(
        "@keys.next()",
        "bean reference '@' at column 1 is not allowed: a key expression reads only the method's"
            + " parameters.");
  }
}
