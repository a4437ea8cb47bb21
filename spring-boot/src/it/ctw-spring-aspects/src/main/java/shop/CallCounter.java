package shop;

import java.util.concurrent.atomic.AtomicInteger;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.springframework.stereotype.Component;

/** The application's own Spring AOP aspect: counts calls of {@link Payments}. */
@Aspect
@Component
public class CallCounter {
  private final AtomicInteger calls = new AtomicInteger();

  /** Counts each call that passes the Spring proxy. */
  @Around("execution(* shop.Payments.*(..))")
  public Object count(ProceedingJoinPoint call) throws Throwable {
    calls.incrementAndGet();
    return call.proceed();
  }

  /** Calls counted. */
  public int calls() {
    return calls.get();
  }
}
