package dev.idempotent.processor;

import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * A {@link TypeMirror} with the equality that {@code TypeModel} requires: two mirrors of the same
 * type are equal, which {@code TypeMirror.equals} does not promise. Immutable.
 */
final class JavacType {
  private final TypeMirror mirror;
  private final Types types;

  JavacType(TypeMirror mirror, Types types) {
    this.mirror = mirror;
    this.types = types;
  }

  TypeMirror mirror() {
    return mirror;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JavacType that && types.isSameType(mirror, that.mirror);
  }

  @Override
  public int hashCode() {
    return types.erasure(mirror).toString().hashCode();
  }

  @Override
  public String toString() {
    return mirror.toString();
  }
}
