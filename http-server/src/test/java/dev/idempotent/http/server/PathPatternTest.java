package dev.idempotent.http.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathPatternTest {

  @Test
  void literalSegmentsMatchExactly() {
    PathPattern p = PathPattern.compile("/charges");
    assertTrue(p.matches("/charges"));
    assertTrue(p.matches("/charges/"));
    assertFalse(p.matches("/charges/x"));
    assertFalse(p.matches("/charge"));
    assertFalse(p.matches("/"));
  }

  @Test
  void starAndNamedSegmentsMatchOneSegment() {
    PathPattern p = PathPattern.compile("/orders/{id}/refunds/*");
    assertTrue(p.matches("/orders/7/refunds/r1"));
    assertFalse(p.matches("/orders/7/refunds"));
    assertFalse(p.matches("/orders/7/refunds/r1/x"));
  }

  @Test
  void finalDoubleStarMatchesAnyRest() {
    PathPattern p = PathPattern.compile("/api/**");
    assertTrue(p.matches("/api"));
    assertTrue(p.matches("/api/a/b/c"));
    assertFalse(p.matches("/apix"));
    assertTrue(PathPattern.compile("/**").matches("/anything/at/all"));
  }

  @Test
  void malformedPatternsAreRefusedAtBuildTime() {
    assertThrows(IllegalArgumentException.class, () -> PathPattern.compile("charges"));
    assertThrows(IllegalArgumentException.class, () -> PathPattern.compile("/**/x"));
    assertThrows(IllegalArgumentException.class, () -> PathPattern.compile("/ch*"));
  }
}
