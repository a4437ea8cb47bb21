package dev.idempotent.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idempotent.IdempotencyEngine;
import dev.idempotent.IdempotencyEvent;
import dev.idempotent.IdempotencyListener;
import dev.idempotent.aspectj.IdempotentAspect;
import dev.idempotent.aspectj.WovenIdempotent;
import dev.idempotent.spring.woven.WovenLedger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Beans whose classes ajc wove with idempotent-aspectj ({@link WovenLedger}): the proxy leaves
 * their methods to the woven advice, which uses the context's engine while the context runs.
 */
@ExtendWith(OutputCaptureExtension.class)
class WovenBeansTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
          .withBean(WovenLedger.class);

  @Test
  void wovenBeanIsNotProxiedAndEachCallRunsTheProtocolOnceInTheContextsEngine() throws Exception {
    assertTrue(
        WovenLedger.class
            .getMethod("post", String.class)
            .isAnnotationPresent(WovenIdempotent.class),
        "the fixture was not woven");
    List<IdempotencyEvent.Type> events = new CopyOnWriteArrayList<>();
    runner
        .withBean(IdempotencyListener.class, () -> event -> events.add(event.type()))
        .run(
            context -> {
              assertNull(context.getStartupFailure());
              WovenLedger ledger = context.getBean(WovenLedger.class);
              assertFalse(AopUtils.isAopProxy(ledger), "a woven bean was proxied as well");
              assertSame(context.getBean(IdempotencyEngine.class), IdempotentAspect.engine());
              String first = ledger.post("entry-1");
              assertEquals(first, ledger.post("entry-1"));
              assertEquals(
                  List.of(IdempotencyEvent.Type.EXECUTED, IdempotencyEvent.Type.REPLAYED), events);
              ledger.postThroughThis("entry-2");
              ledger.postThroughThis("entry-2");
              assertEquals(2, ledger.runs(), "weaving protects calls through this as well");
            });
  }

  @Test
  void secondContextWarnsThatItReplacesTheAspectsEngineAndClosingItPutsTheFirstBack(
      CapturedOutput output) {
    runner.run(
        first -> {
          IdempotencyEngine firstEngine = first.getBean(IdempotencyEngine.class);
          assertSame(firstEngine, IdempotentAspect.engine());
          runner.run(
              second -> {
                assertSame(second.getBean(IdempotencyEngine.class), IdempotentAspect.engine());
                assertTrue(output.getOut().contains("WARN"), output.getOut());
                assertTrue(output.getOut().contains("which is still registered"), output.getOut());
              });
          assertSame(firstEngine, IdempotentAspect.engine(), "closing did not put the engine back");
        });
  }

  @Test
  void closingTheContextClosesItsEngineAndTakesItAwayFromTheAspect() {
    IdempotencyEngine[] engine = new IdempotencyEngine[1];
    runner.run(context -> engine[0] = context.getBean(IdempotencyEngine.class));
    assertTrue(engine[0].isClosed(), "the context left its engine open");
    assertNotSame(engine[0], IdempotentAspect.engine());
  }

  @Test
  void contextsSharingOneEngineDoNotWarn(CapturedOutput output) {
    IdempotencyEngine shared = IdempotencyEngine.builder().build();
    ApplicationContextRunner sharing = runner.withBean(IdempotencyEngine.class, () -> shared);
    sharing.run(first -> sharing.run(second -> assertSame(shared, IdempotentAspect.engine())));
    assertFalse(output.getOut().contains("which is still registered"), output.getOut());
  }
}
