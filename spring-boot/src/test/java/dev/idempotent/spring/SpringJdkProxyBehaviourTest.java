package dev.idempotent.spring;

/**
 * The behaviour suite through JDK proxies ({@code spring.aop.proxy-target-class=false}): every call
 * arrives with the interface's method, which the adapter maps to the fixture class's annotated
 * method.
 */
class SpringJdkProxyBehaviourTest extends SpringProxyBehaviourTest {
  @Override
  boolean classProxies() {
    return false;
  }
}
