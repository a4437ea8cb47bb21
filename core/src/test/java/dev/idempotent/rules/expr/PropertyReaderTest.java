package dev.idempotent.rules.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.sql.Timestamp;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PropertyReaderTest {
  /** A public record, as a command usually is. */
  public record Order(String id, int quantity) {}

  /** A public class whose getter throws a checked exception. */
  public static final class Failing {
    public String value() throws IOException {
      throw new IOException("disk");
    }
  }

  /** Private to this test: the library may not call it directly. */
  private static final class Hidden {
    private String secret() {
      return "s";
    }

    private String fail() throws IOException {
      throw new IOException("hidden");
    }
  }

  /** A public field. */
  public static final class WithField {
    public final String name = "n";
  }

  @Test
  void aPublicAccessorIsCalledByASpunClass() throws Exception {
    Function<Object, Object> id =
        PropertyReader.of(MethodHandles.publicLookup().unreflect(Order.class.getMethod("id")));
    assertTrue(id.getClass().isHidden(), id.getClass().getName());
    assertEquals("o-1", id.apply(new Order("o-1", 2)));
  }

  @Test
  void aPrimitiveIsReturnedBoxed() throws Exception {
    Function<Object, Object> quantity =
        PropertyReader.of(
            MethodHandles.publicLookup().unreflect(Order.class.getMethod("quantity")));
    assertTrue(quantity.getClass().isHidden());
    assertEquals(2, quantity.apply(new Order("o-1", 2)));
  }

  @Test
  void aGetterThatThrowsACheckedExceptionThrowsItUnchanged() throws Exception {
    Function<Object, Object> value =
        PropertyReader.of(MethodHandles.publicLookup().unreflect(Failing.class.getMethod("value")));
    IOException thrown =
        assertThrows(IOException.class, () -> value.apply(new Failing()), "spun class");
    assertEquals("disk", thrown.getMessage());
  }

  @Test
  void aMethodThisLibraryCannotCallDirectlyIsReadThroughItsHandle() throws Exception {
    Function<Object, Object> secret =
        PropertyReader.of(
            MethodHandles.privateLookupIn(Hidden.class, MethodHandles.lookup())
                .unreflect(Hidden.class.getDeclaredMethod("secret")));
    assertFalse(secret.getClass().isHidden());
    assertEquals("s", secret.apply(new Hidden()));
  }

  @Test
  void aFieldIsReadThroughItsHandle() throws Exception {
    Function<Object, Object> name =
        PropertyReader.of(
            MethodHandles.publicLookup().unreflectGetter(WithField.class.getField("name")));
    assertFalse(name.getClass().isHidden());
    assertEquals("n", name.apply(new WithField()));
  }

  @Test
  void aClassOfAnotherClassLoaderIsReadThroughItsHandle() throws Exception {
    assertTrue(Timestamp.class.getClassLoader() != null);
    Function<Object, Object> nanos =
        PropertyReader.of(
            MethodHandles.publicLookup().unreflect(Timestamp.class.getMethod("getNanos")));
    assertFalse(nanos.getClass().isHidden());
    Timestamp at = new Timestamp(0);
    at.setNanos(42);
    assertEquals(42, nanos.apply(at));
  }

  @Test
  void aHandleReaderThrowsACheckedExceptionUnchanged() throws Exception {
    Function<Object, Object> failing =
        PropertyReader.of(
            MethodHandles.privateLookupIn(Hidden.class, MethodHandles.lookup())
                .unreflect(Hidden.class.getDeclaredMethod("fail")));
    assertFalse(failing.getClass().isHidden());
    assertEquals(
        "hidden", assertThrows(IOException.class, () -> failing.apply(new Hidden())).getMessage());
  }
}
