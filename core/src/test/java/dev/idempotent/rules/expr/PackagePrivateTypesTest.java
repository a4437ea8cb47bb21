package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.idempotent.Idempotent;
import dev.idempotent.rules.expr.fixture.Shipments;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Users' records and classes are often package-private; the key is read from them all the same. */
class PackagePrivateTypesTest {

  private static Method ship() {
    return Arrays.stream(Shipments.class.getDeclaredMethods())
        .filter(method -> method.getName().equals("ship"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void readsPackagePrivateRecordsAndGettersOfPackagePrivateClassesInAnotherPackage() {
    Method ship = ship();
    KeyExpression key = KeyExpression.compile(ship, ship.getAnnotation(Idempotent.class).keyExpr());
    assertEquals("p-1:10115:L-9", key.evaluate(Shipments.arguments("p-1", "10115", "L-9")));
  }

  @Test
  void aPackagePrivateRecordAsAWholeIsAKey() {
    KeyExpression key = KeyExpression.compile(ship(), "#parcel.address");
    assertEquals("Address[zip=10115]", key.evaluate(Shipments.arguments("p-1", "10115", "L-9")));
  }
}
