package dev.idempotent.samples.spring;

/** The sample as configured by default: records in this JVM's memory. */
class InMemoryChargesTest extends ChargesOverHttp {
  @Override
  String[] storeArguments() {
    return new String[0];
  }
}
