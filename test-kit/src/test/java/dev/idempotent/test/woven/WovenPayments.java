package dev.idempotent.test.woven;

import dev.idempotent.Idempotent;
import dev.idempotent.InFlight;
import dev.idempotent.test.ChargeRequest;
import dev.idempotent.test.Gateway;
import dev.idempotent.test.Receipt;
import java.util.UUID;

/** Woven by the module's test-compile: every method here runs the protocol itself. */
public class WovenPayments {
  private final Gateway gateway;

  /** Payments on {@code gateway}. */
  public WovenPayments(Gateway gateway) {
    this.gateway = gateway;
  }

  /** Correct: one charge per key, for an hour. */
  @Idempotent(keyExpr = "#request.key", ttl = "1h")
  public Receipt charge(ChargeRequest request) {
    return gateway.charge(request);
  }

  /** Correct: a decline is final, so it is recorded and replayed. */
  @Idempotent(keyExpr = "#request.key", recordExceptions = Gateway.Declined.class)
  public Receipt chargeOrDecline(ChargeRequest request) {
    gateway.charge(request);
    throw new Gateway.Declined("card declined for " + request.customer());
  }

  /** Broken: records the timeout, so a retry never reaches the gateway again. */
  @Idempotent(keyExpr = "#request.key", recordExceptions = Gateway.GatewayTimeout.class)
  public Receipt chargeRecordingTimeouts(ChargeRequest request) {
    return gateway.charge(request);
  }

  /** Broken: the key reads a value that changes on every call, so no call is ever a duplicate. */
  @Idempotent(keyExpr = "#request.key + #nonce.value")
  public Receipt chargeWithNonce(ChargeRequest request, Nonce nonce) {
    return gateway.charge(request);
  }

  /** Broken: the amount is left out of the fingerprint, so a reused key is replayed. */
  @Idempotent(keyExpr = "#request.key", validatePayload = false)
  public Receipt chargeUnchecked(ChargeRequest request) {
    return gateway.charge(request);
  }

  /** Broken for concurrency: duplicates are rejected while the first call runs. */
  @Idempotent(keyExpr = "#request.key", onInFlight = InFlight.REJECT)
  public Receipt chargeRejectingDuplicates(ChargeRequest request) {
    return gateway.charge(request);
  }

  /** Keeps its records for a minute only. */
  @Idempotent(keyExpr = "#request.key", ttl = "1m")
  public Receipt chargeForAMinute(ChargeRequest request) {
    return gateway.charge(request);
  }

  /** Broken on a shared store: its result type has no constructor Jackson can read it with. */
  @Idempotent(keyExpr = "#request.key")
  public OpaqueReceipt chargeOpaquely(ChargeRequest request) {
    return new OpaqueReceipt(gateway.charge(request).id());
  }

  /** Broken on a shared store: its result type has nothing Jackson can write. */
  @Idempotent(keyExpr = "#request.key")
  public Handle chargeForAHandle(ChargeRequest request) {
    gateway.charge(request);
    return new Handle();
  }

  /** Correct, but its result type has no equals, so a decoded replay is an equal-looking copy. */
  @Idempotent(keyExpr = "#request.key")
  public PlainReceipt chargeForAPlainReceipt(ChargeRequest request) {
    PlainReceipt receipt = new PlainReceipt();
    receipt.id = gateway.charge(request).id();
    return receipt;
  }

  /** A value that changes whenever it is read. */
  public static final class Nonce {
    /** A fresh value on each read. */
    public String getValue() {
      return UUID.randomUUID().toString();
    }
  }

  /** A bean without equals: it round-trips, but a copy is never equal to the original. */
  public static final class PlainReceipt {
    /** The charge id. */
    public String id;

    @Override
    public String toString() {
      return "PlainReceipt[" + id + "]";
    }
  }

  /** No properties at all: Jackson refuses to write it. */
  public static final class Handle {}

  /** Writes as JSON, cannot be read back: no default constructor, no creator. */
  public static final class OpaqueReceipt {
    private final String id;

    /** A receipt with {@code id}. */
    public OpaqueReceipt(String id) {
      this.id = id;
    }

    /** The charge id. */
    public String getId() {
      return id;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof OpaqueReceipt o && o.id.equals(id);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }

    @Override
    public String toString() {
      return "OpaqueReceipt[" + id + "]";
    }
  }
}
