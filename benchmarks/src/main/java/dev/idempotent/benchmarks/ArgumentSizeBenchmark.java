package dev.idempotent.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.benmanes.caffeine.cache.Cache;
import dev.idempotent.internal.json.CanonicalJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How the default hit (woven, payload check on) grows with the size of the argument, whose
 * canonical JSON the engine writes and compares on every duplicate. Two shapes, each built to about
 * {@link Sized#jsonBytes} bytes of canonical JSON: {@code wovenFlat}, a {@link ChargeNote} of
 * strings and numbers whose note sets the size (the engine's direct writer takes it), and {@code
 * wovenList}, an {@link Invoice} with a nested customer and as many {@link LineItem}s as the size
 * needs (a list goes through Jackson's serializers). The lean inline lookup on the same keys does
 * not depend on the size, so it runs once. Each shape cycles through {@value #COUNT} requests, each
 * called once in set-up; the bulky part (note, line items) is one object all of them share, as a
 * request just deserialized would be in the processor's cache rather than in memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ArgumentSizeBenchmark {
  static final int COUNT = Keys.COUNT;
  private static final String FLAT = "wovenFlat";
  private static final String LIST = "wovenList";
  private static final String NOTE_TEXT =
      "Leave the parcel with the concierge; if closed, ring the bell at the side door twice. ";

  /** The woven fixture, primed with both shapes at one size. */
  @State(Scope.Thread)
  public static class Sized {
    /** The target size of the canonical JSON of one request, in bytes. */
    @Param({"100", "1000", "10000"})
    public int jsonBytes;

    WovenChargeService woven;
    Cycle<ChargeNote> notes;
    Cycle<Invoice> invoices;

    /** Builds the engine and both shapes' requests and calls the fixture once with each. */
    @Setup(Level.Trial)
    public void setUp() {
      WovenFixtures.configure(WovenChargeService.class, 1 << 16);
      woven = new WovenChargeService();
      IntFunction<ChargeNote> note = notes(jsonBytes);
      IntFunction<Invoice> invoice = invoices(jsonBytes);
      ChargeNote[] allNotes = new ChargeNote[COUNT];
      Invoice[] allInvoices = new Invoice[COUNT];
      for (int i = 0; i < COUNT; i++) {
        allNotes[i] = note.apply(i);
        allInvoices[i] = invoice.apply(i);
        woven.chargeWithNote(allNotes[i]);
        woven.bill(allInvoices[i]);
      }
      System.out.printf(
          "%n# canonical JSON per request: %s %d B, %s %d B%n",
          FLAT, canonicalBytes(allNotes[0]), LIST, canonicalBytes(allInvoices[0]));
      notes = new Cycle<>(allNotes);
      invoices = new Cycle<>(allInvoices);
    }
  }

  /** The lean inline lookup on the same ids. */
  @State(Scope.Thread)
  public static class Lean {
    Cache<String, Receipt> cache;
    Cycle<String> ids;

    /** Builds the cache and puts every id. */
    @Setup(Level.Trial)
    public void setUp() {
      cache = HandWrittenCache.newCache(1 << 16);
      String[] all = new String[COUNT];
      for (int i = 0; i < COUNT; i++) {
        all[i] = id(i);
        cache.put("charge:" + all[i], Receipt.charged(all[i]));
      }
      ids = new Cycle<>(all);
    }
  }

  /** Baseline: the lean hand-written lookup, inline, short string id. */
  @Benchmark
  public Receipt lean(Lean s) {
    String id = s.ids.next();
    Receipt seen = s.cache.getIfPresent("charge:" + id);
    if (seen == null) {
      seen = Receipt.charged(id);
      s.cache.put("charge:" + id, seen);
    }
    return seen;
  }

  /** The default woven hit with a request of strings and numbers. */
  @Benchmark
  public Receipt wovenFlat(Sized s) {
    return s.woven.chargeWithNote(s.notes.next());
  }

  /** The default woven hit with a request holding a nested record and a list of records. */
  @Benchmark
  public Receipt wovenList(Sized s) {
    return s.woven.bill(s.invoices.next());
  }

  /**
   * The exact size of the canonical JSON of one request of a benchmark at a target size, as the
   * engine writes it to fingerprint the arguments: {@code [request]}.
   *
   * @param benchmark {@code wovenFlat} or {@code wovenList}
   * @param size the target size, a value of {@link Sized#jsonBytes}
   * @throws IllegalArgumentException for another benchmark
   */
  static int canonicalBytes(String benchmark, int size) {
    return switch (benchmark) {
      case FLAT -> canonicalBytes(notes(size).apply(0));
      case LIST -> canonicalBytes(invoices(size).apply(0));
      default ->
          throw new IllegalArgumentException(
              "no argument of a size in ArgumentSizeBenchmark." + benchmark);
    };
  }

  private static String id(int n) {
    return "charge-" + (100_000 + n);
  }

  private static int canonicalBytes(Object request) {
    return json(CanonicalJson.canonicalMapper().writer(), request).length;
  }

  private static byte[] json(ObjectWriter writer, Object request) {
    try {
      return writer.writeValueAsBytes(new Object[] {request});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + request + " as canonical JSON", e);
    }
  }

  /** Requests of strings and numbers whose note brings the JSON to {@code size} bytes. */
  private static IntFunction<ChargeNote> notes(int size) {
    int rest = size - canonicalBytes(new ChargeNote(id(0), new BigDecimal("49.90"), ""));
    StringBuilder text = new StringBuilder();
    while (text.length() < rest) {
      text.append(NOTE_TEXT);
    }
    String note = text.substring(0, Math.max(0, rest));
    return n -> new ChargeNote(id(n), new BigDecimal("49.90"), note);
  }

  /** Invoices with as many line items as bring the JSON nearest to {@code size} bytes. */
  private static IntFunction<Invoice> invoices(int size) {
    ObjectWriter writer = CanonicalJson.canonicalMapper().writer();
    List<LineItem> lines = new ArrayList<>();
    int bytes = json(writer, invoice(0, lines)).length;
    while (bytes < size) {
      int j = lines.size();
      lines.add(
          new LineItem(
              "sku-" + (10_000 + j),
              "Notebook, A5, dotted, " + j,
              1 + j % 3,
              new BigDecimal("7.50")));
      int more = json(writer, invoice(0, lines)).length;
      if (more - size > size - bytes) {
        lines.remove(j);
        break;
      }
      bytes = more;
    }
    List<LineItem> shared = List.copyOf(lines);
    return n -> invoice(n, shared);
  }

  private static Invoice invoice(int n, List<LineItem> lines) {
    return new Invoice(
        id(n), new Customer("cust-" + (100_000 + n), "Ada Lovelace", "ada@example.com"), lines);
  }
}
