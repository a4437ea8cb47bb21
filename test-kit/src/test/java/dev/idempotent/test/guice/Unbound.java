package dev.idempotent.test.guice;

import dev.idempotent.Idempotent;

/** Not woven and never bound in an injector: neither adapter protects it. */
public class Unbound {
  /** Looks protected, is not. */
  @Idempotent(keyExpr = "#id")
  public String handle(String id) {
    return id;
  }
}
