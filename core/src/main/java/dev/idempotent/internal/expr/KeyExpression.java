package dev.idempotent.internal.expr;

import java.lang.reflect.Method;

/** TEMPORARY placeholder until the expression language lands; not committed. */
public final class KeyExpression {
  private final int index;

  private KeyExpression(int index) {
    this.index = index;
  }

  public static KeyExpression compile(Method method, String expression) {
    if (expression.startsWith("#p")) {
      return new KeyExpression(Integer.parseInt(expression.substring(2)));
    }
    java.lang.reflect.Parameter[] ps = method.getParameters();
    for (int i = 0; i < ps.length; i++) {
      if (("#" + ps[i].getName()).equals(expression)) {
        return new KeyExpression(i);
      }
    }
    throw new dev.idempotent.IdempotencyDefinitionException("bad " + expression);
  }

  public String evaluate(Object[] args) {
    if (args[index] == null) {
      throw new dev.idempotent.IdempotencyKeyException("null");
    }
    return String.valueOf(args[index]);
  }
}
