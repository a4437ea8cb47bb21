package dev.idempotent.testing.behaviour;

/** The interface of {@link MisdefinedFixture}, whose annotations are wrong. */
public interface MisdefinedOperations {

  /** Its key expression names a parameter that does not exist. */
  String unknownParameter(String id);

  /** Its ttl is not a duration. */
  String badTtl(String id);

  /** How many times any body ran: always 0, since a wrong annotation never runs the body. */
  int runs();
}
