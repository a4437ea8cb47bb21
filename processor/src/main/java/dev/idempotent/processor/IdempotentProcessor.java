package dev.idempotent.processor;

import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Checks every {@code @Idempotent} method at compile time with the rules and the key-expression
 * checker that {@code IdempotencyEngine} applies at run time, so a mistake fails the build instead
 * of the first call: a key expression that does not parse or names an unknown parameter or
 * property, a bad {@code ttl}, {@code lease} or {@code waitTimeout}, a blank {@code namespace}, a
 * return type that cannot be replayed, an abstract method, a parameter that cannot be part of the
 * argument fingerprint. Each error is reported on the annotation (on the attribute it is about,
 * where the source writes it) with the message the engine's {@code IdempotencyDefinitionException}
 * would carry.
 *
 * <p>Opt-in: the jar registers the processor in {@code META-INF/services}, and javac finds it only
 * when the jar is on the processor path, so add it to {@code annotationProcessorPaths} (with {@code
 * idempotent-core}, which it reads the rules from). It generates nothing and claims no annotation,
 * so other processors still see {@code @Idempotent}.
 *
 * <p>A {@code Class} result is an error, as it is for every store. What matters only for stores
 * that serialize outcomes (Redis, JDBC), which the compiler cannot know, is a warning: a result
 * type with no properties or no constructor Jackson can use, an abstract result type, a recorded
 * exception without a public {@code (String)} or {@code ()} constructor. Types that carry Jackson
 * annotations are left to {@code IdempotencyEngine.check}, which asks the real codec; so is whether
 * the module system lets the engine read a property. javac creates one instance per compilation and
 * calls it on one thread.
 */
public final class IdempotentProcessor extends AbstractProcessor {
  private MethodCheck check;
  private Messager messager;

  /** Creates the processor; javac does, through {@link java.util.ServiceLoader}. */
  public IdempotentProcessor() {}

  /** Prepares the checks with the compiler's model of elements and types. */
  @Override
  public synchronized void init(ProcessingEnvironment environment) {
    super.init(environment);
    this.check = new MethodCheck(environment.getElementUtils(), environment.getTypeUtils());
    this.messager = environment.getMessager();
  }

  /** {@code dev.idempotent.Idempotent}. */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(MethodCheck.IDEMPOTENT);
  }

  /** The newest the running compiler knows: the checks read nothing version-specific. */
  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  /**
   * Checks the {@code @Idempotent} methods of this round and reports each problem as an error, or
   * as a warning where it depends on the store.
   *
   * @return false: the annotation stays visible to other processors
   */
  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (TypeElement annotation : annotations) {
      if (!annotation.getQualifiedName().contentEquals(MethodCheck.IDEMPOTENT)) {
        continue;
      }
      for (ExecutableElement method :
          ElementFilter.methodsIn(round.getElementsAnnotatedWith(annotation))) {
        AnnotationMirror mirror = mirrorOf(method);
        if (mirror != null) {
          report(method, mirror);
        }
      }
    }
    return false;
  }

  private void report(ExecutableElement method, AnnotationMirror mirror) {
    for (MethodCheck.Problem problem : check.check(method, mirror)) {
      AnnotationValue value = problem.attribute() == null ? null : explicit(mirror, problem);
      Diagnostic.Kind kind = problem.warning() ? Diagnostic.Kind.WARNING : Diagnostic.Kind.ERROR;
      messager.printMessage(kind, problem.message(), method, mirror, value);
    }
  }

  private static AnnotationValue explicit(AnnotationMirror mirror, MethodCheck.Problem problem) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        mirror.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(problem.attribute())) {
        return entry.getValue();
      }
    }
    return null;
  }

  private static AnnotationMirror mirrorOf(Element method) {
    for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
      Element type = mirror.getAnnotationType().asElement();
      if (((TypeElement) type).getQualifiedName().contentEquals(MethodCheck.IDEMPOTENT)) {
        return mirror;
      }
    }
    return null;
  }
}
