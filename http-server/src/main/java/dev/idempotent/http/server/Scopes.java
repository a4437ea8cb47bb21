package dev.idempotent.http.server;

/** The scope that stands for no scope, recognised by identity. */
final class Scopes {
  static final RequestScope NONE = request -> "";

  private Scopes() {}
}
