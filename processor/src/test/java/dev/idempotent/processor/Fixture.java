package dev.idempotent.processor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source file of {@code com.example.Payments} with the types that key expressions read, and one
 * annotated method per case, each on lines of its own, so that a diagnostic's line tells its case.
 */
final class Fixture {
  static final String CLASS = "com.example.Payments";
  static final String API = "com.example.Payments$Api";

  private static final String HEADER =
      String.join(
          "\n",
          "package com.example;",
          "",
          "import dev.idempotent.ExcludeFromFingerprint;",
          "import dev.idempotent.Idempotent;",
          "import dev.idempotent.InFlight;",
          "import java.io.InputStream;",
          "import java.math.BigDecimal;",
          "import java.util.Iterator;",
          "import java.util.List;",
          "import java.util.Map;",
          "import java.util.Optional;",
          "import java.util.UUID;",
          "import java.util.concurrent.CompletableFuture;",
          "import java.util.concurrent.CompletionStage;",
          "import java.util.concurrent.ExecutorService;",
          "import java.util.concurrent.Flow;",
          "import java.util.concurrent.Future;",
          "import java.util.function.Supplier;",
          "import java.util.stream.Stream;",
          "",
          "public abstract class Payments {",
          "  public record Customer(String id, String name) {}",
          "  public record Item(String sku, int quantity) {}",
          "  public record Charge(String id, Customer customer, List<Item> items,"
              + " Map<String, String> attrs, Map<Short, String> byShort, BigDecimal amount) {}",
          "  public record Holder(String id, Account account) {}",
          "  public record Node(String id, List<Node> children) {}",
          "  public enum Currency { EUR, USD; public String getSymbol() { return name(); } }",
          "  public static class Account {",
          "    public String owner;",
          "    public String getNumber() { return \"n\"; }",
          "    public boolean isActive() { return true; }",
          "    public Boolean isVerified() { return true; }",
          "    public int isCount() { return 1; }",
          "  }",
          "  public static class Envelope<P> {",
          "    public P getPayload() { return null; }",
          "  }",
          "  public static class ChargeEnvelope extends Envelope<Charge> {}",
          "  public abstract static class CustomStage<T> extends CompletableFuture<T> {}",
          "  public static final class Opaque { private String secret;"
              + " private Opaque(String secret, int n) { this.secret = secret; } }",
          "  public static final class Unbuildable { private final String id;"
              + " public Unbuildable(String id, int n) { this.id = id; }"
              + " public String getId() { return id; } }",
          "  public interface Shape {}",
          "  public static class CodedException extends RuntimeException {"
              + " public CodedException(int code) { super(\"code \" + code); } }",
          "");

  private Fixture() {}

  /** One annotated method: its annotation and its declaration, in which {@code %s} is its name. */
  record Case(String name, String annotation, String declaration, boolean inInterface) {
    String binaryName() {
      return inInterface ? API : CLASS;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A method of {@code Payments}. */
  static Case method(String name, String annotation, String declaration) {
    return new Case(name, annotation, declaration, false);
  }

  /** A method of the interface {@code Payments.Api}. */
  static Case interfaceMethod(String name, String annotation, String declaration) {
    return new Case(name, annotation, declaration, true);
  }

  /** The source with every case, and the line of each case's annotation. */
  record Source(String text, Map<Case, Long> annotationLines) {}

  static Source source(List<Case> cases) {
    List<String> lines = new ArrayList<>(List.of(HEADER.split("\n", -1)));
    Map<Case, Long> annotationLines = new LinkedHashMap<>();
    for (Case c : cases) {
      if (!c.inInterface()) {
        annotationLines.put(c, (long) lines.size() + 1);
        lines.add("  " + c.annotation());
        lines.add("  " + String.format(c.declaration(), c.name()));
      }
    }
    lines.add("  public interface Api {");
    for (Case c : cases) {
      if (c.inInterface()) {
        annotationLines.put(c, (long) lines.size() + 1);
        lines.add("    " + c.annotation());
        lines.add("    " + String.format(c.declaration(), c.name()));
      }
    }
    lines.add("  }");
    lines.add("}");
    return new Source(String.join("\n", lines), annotationLines);
  }
}
