package dev.idempotent.processor;

import dev.idempotent.rules.expr.JdkAccessors;
import dev.idempotent.rules.expr.ParameterView;
import dev.idempotent.rules.expr.PropertyNames;
import dev.idempotent.rules.expr.TypeModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The {@link TypeModel} of {@code javax.lang.model}: answers what the engine's reflection type
 * model answers at run time, from the compiler's view of the same types, so that the shared {@code
 * ExpressionChecker} reaches the same verdict with the same words. Types are handed out resolved:
 * no type variables, no wildcards (what a context leaves open stands for its upper bound, as {@code
 * java.lang.reflect} erases it). Types of the JDK ({@code java.*} and {@code jdk.*} modules) are
 * values or containers, never beans. Used by one processor on the compiler's thread.
 */
final class JavacTypeModel implements TypeModel<JavacType> {
  private static final Set<String> INTEGERS =
      Set.of(
          "java.lang.Byte",
          "java.lang.Short",
          "java.lang.Integer",
          "java.lang.Long",
          "java.math.BigInteger");
  private static final Set<String> DECIMALS =
      Set.of("java.lang.Float", "java.lang.Double", "java.math.BigDecimal");
  private static final Set<String> TEMPORALS =
      Set.of(
          "java.time.Instant",
          "java.time.LocalDate",
          "java.time.LocalTime",
          "java.time.LocalDateTime",
          "java.time.OffsetDateTime",
          "java.time.OffsetTime",
          "java.time.ZonedDateTime",
          "java.time.Duration",
          "java.time.Period",
          "java.time.Year",
          "java.time.YearMonth",
          "java.time.MonthDay");
  private static final Set<String> NOT_BEANS =
      Set.of("java.lang.Object", "java.lang.Record", "java.lang.Enum");

  private final Elements elements;
  private final Types types;
  private final TypeMirror object;
  private final TypeMirror charSequence;
  private final TypeMirror enumType;
  private final TypeMirror zoneId;
  private final TypeMirror list;
  private final TypeMirror map;

  JavacTypeModel(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
    this.object = erased("java.lang.Object");
    this.charSequence = erased("java.lang.CharSequence");
    this.enumType = erased("java.lang.Enum");
    this.zoneId = erased("java.time.ZoneId");
    this.list = erased("java.util.List");
    this.map = erased("java.util.Map");
  }

  /** The parameters of {@code method} with their source names and resolved types. */
  List<ParameterView<JavacType>> parametersOf(ExecutableElement method) {
    List<ParameterView<JavacType>> parameters = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      parameters.add(
          new ParameterView<>(parameter.getSimpleName().toString(), wrap(parameter.asType())));
    }
    return parameters;
  }

  /** {@code mirror}, resolved, as this model hands types out. */
  JavacType wrap(TypeMirror mirror) {
    return new JavacType(resolve(mirror), types);
  }

  /** The erasure of the named type, or null when it is not on the compilation's class path. */
  TypeMirror erased(String qualifiedName) {
    TypeElement element = elements.getTypeElement(qualifiedName);
    return element == null ? null : types.erasure(element.asType());
  }

  /** The qualified name of a declared type's class, or null for other types. */
  static String qualifiedName(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    return ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().toString();
  }

  @Override
  public Kind kind(JavacType type) {
    TypeMirror mirror = type.mirror();
    switch (mirror.getKind()) {
      case BOOLEAN:
        return Kind.BOOLEAN;
      case BYTE:
      case SHORT:
      case INT:
      case LONG:
        return Kind.INTEGER;
      case FLOAT:
      case DOUBLE:
        return Kind.DECIMAL;
      case CHAR:
        return Kind.CHARACTER;
      case ARRAY:
        return Kind.ARRAY;
      case DECLARED:
        return declaredKind((DeclaredType) mirror);
      default:
        return Kind.OTHER;
    }
  }

  private Kind declaredKind(DeclaredType type) {
    TypeMirror raw = types.erasure(type);
    String name = qualifiedName(type);
    if (isSubtype(raw, charSequence)) {
      return Kind.STRING;
    }
    if (INTEGERS.contains(name)) {
      return Kind.INTEGER;
    }
    if (DECIMALS.contains(name)) {
      return Kind.DECIMAL;
    }
    if (name.equals("java.lang.Boolean")) {
      return Kind.BOOLEAN;
    }
    if (name.equals("java.lang.Character")) {
      return Kind.CHARACTER;
    }
    if (isSubtype(raw, enumType)) {
      return Kind.ENUM;
    }
    if (name.equals("java.util.UUID")) {
      return Kind.UUID;
    }
    if (TEMPORALS.contains(name) || isSubtype(raw, zoneId)) {
      return Kind.TEMPORAL;
    }
    if (isSubtype(raw, list)) {
      return Kind.LIST;
    }
    if (isSubtype(raw, map)) {
      return Kind.MAP;
    }
    if (type.asElement().getKind() == ElementKind.RECORD) {
      return Kind.RECORD;
    }
    return Kind.OTHER;
  }

  private boolean isSubtype(TypeMirror raw, TypeMirror of) {
    return of != null && types.isSubtype(raw, of);
  }

  @Override
  public String displayName(JavacType type) {
    return displayName(type.mirror());
  }

  private String displayName(TypeMirror type) {
    if (type.getKind() == TypeKind.ARRAY) {
      return displayName(((ArrayType) type).getComponentType()) + "[]";
    }
    if (type.getKind() != TypeKind.DECLARED) {
      return type.toString();
    }
    DeclaredType declared = (DeclaredType) type;
    String simple = declared.asElement().getSimpleName().toString();
    if (declared.getTypeArguments().isEmpty()) {
      return simple;
    }
    StringJoiner joined = new StringJoiner(", ", simple + "<", ">");
    for (TypeMirror argument : declared.getTypeArguments()) {
      joined.add(displayName(argument));
    }
    return joined.toString();
  }

  @Override
  public SortedMap<String, JavacType> properties(JavacType type) {
    Found found = find(type);
    if (found == null) {
      return Collections.emptySortedMap();
    }
    SortedMap<String, JavacType> properties = new TreeMap<>();
    found.members().forEach((name, memberType) -> properties.put(name, wrap(memberType)));
    return properties;
  }

  @Override
  public SortedMap<String, String> refusedProperties(JavacType type) {
    Found found = find(type);
    return found == null ? Collections.emptySortedMap() : found.refused();
  }

  /** A bean's properties and the JDK getters a key may not call, as the reflection model finds. */
  private record Found(SortedMap<String, TypeMirror> members, SortedMap<String, String> refused) {}

  /** The properties of {@code type}, or null when its values are not beans. */
  private Found find(JavacType type) {
    Kind kind = kind(type);
    TypeMirror mirror = type.mirror();
    if ((kind != Kind.RECORD && kind != Kind.ENUM && kind != Kind.OTHER)
        || mirror.getKind() != TypeKind.DECLARED) {
      return null;
    }
    DeclaredType declared = (DeclaredType) mirror;
    TypeElement element = (TypeElement) declared.asElement();
    if (isJdk(element)) {
      return null;
    }
    Map<String, String> jdkOrigins = jdkGetterOrigins(element);
    SortedMap<String, TypeMirror> members = new TreeMap<>();
    SortedMap<String, String> refused = new TreeMap<>();
    Map<String, ExecutableElement> getters = new HashMap<>();
    for (Element member : elements.getAllMembers(element)) {
      Set<Modifier> modifiers = member.getModifiers();
      if (!modifiers.contains(Modifier.PUBLIC) || modifiers.contains(Modifier.STATIC)) {
        continue;
      }
      if (member.getKind() == ElementKind.FIELD) {
        members.put(member.getSimpleName().toString(), types.asMemberOf(declared, member));
      } else if (member.getKind() == ElementKind.METHOD) {
        ExecutableElement method = (ExecutableElement) member;
        String property = isGetter(method) ? PropertyNames.ofAccessor(name(method)) : null;
        if (property == null) {
          continue;
        }
        String origin = jdkOrigins.get(name(method));
        if (origin != null) {
          refused.merge(
              property, JdkAccessors.describe(name(method), origin), JavacTypeModel::first);
        } else {
          getters.merge(property, method, (first, second) -> preferred(declared, first, second));
        }
      }
    }
    getters.forEach((property, getter) -> members.put(property, returnType(declared, getter)));
    for (RecordComponentElement component : element.getRecordComponents()) {
      members.put(
          component.getSimpleName().toString(), returnType(declared, component.getAccessor()));
    }
    refused.keySet().removeAll(members.keySet());
    return new Found(members, refused);
  }

  /**
   * The getter names that a JDK supertype of {@code type} declares and {@link JdkAccessors} does
   * not allow, each with the first such supertype by binary name: the engine's reflection rule.
   */
  private Map<String, String> jdkGetterOrigins(TypeElement type) {
    Map<String, String> origins = new HashMap<>();
    Deque<TypeMirror> pending = new ArrayDeque<>(types.directSupertypes(type.asType()));
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      TypeMirror supertype = pending.poll();
      if (supertype.getKind() != TypeKind.DECLARED) {
        continue;
      }
      TypeElement current = (TypeElement) ((DeclaredType) supertype).asElement();
      String binaryName = binaryName(current);
      if (!seen.add(binaryName)) {
        continue;
      }
      if (isJdk(current)) {
        for (ExecutableElement method : ElementFilter.methodsIn(current.getEnclosedElements())) {
          Set<Modifier> modifiers = method.getModifiers();
          String name = name(method);
          if (modifiers.contains(Modifier.PUBLIC)
              && !modifiers.contains(Modifier.STATIC)
              && method.getParameters().isEmpty()
              && PropertyNames.ofAccessor(name) != null
              && !JdkAccessors.allowed(binaryName, name)) {
            origins.merge(name, binaryName, JavacTypeModel::first);
          }
        }
      }
      pending.addAll(types.directSupertypes(supertype));
    }
    return origins;
  }

  private static String first(String a, String b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private boolean isGetter(ExecutableElement method) {
    TypeMirror returns = method.getReturnType();
    String declaring = ((TypeElement) method.getEnclosingElement()).getQualifiedName().toString();
    if (!method.getParameters().isEmpty()
        || returns.getKind() == TypeKind.VOID
        || NOT_BEANS.contains(declaring)) {
      return false;
    }
    return !PropertyNames.isBooleanAccessor(name(method))
        || returns.getKind() == TypeKind.BOOLEAN
        || "java.lang.Boolean".equals(qualifiedName(returns));
  }

  /**
   * Of two getters for one property, the one with the more specific return type, then {@code isX()}
   * over {@code getX()}, then a fixed order: the rule of the engine's reflection model.
   */
  private ExecutableElement preferred(
      DeclaredType owner, ExecutableElement first, ExecutableElement second) {
    TypeMirror firstReturns = types.erasure(returnType(owner, first));
    TypeMirror secondReturns = types.erasure(returnType(owner, second));
    if (!types.isSameType(firstReturns, secondReturns)) {
      if (types.isAssignable(secondReturns, firstReturns)) {
        return second;
      }
      if (types.isAssignable(firstReturns, secondReturns)) {
        return first;
      }
    }
    boolean firstIs = PropertyNames.isBooleanAccessor(name(first));
    if (firstIs != PropertyNames.isBooleanAccessor(name(second))) {
      return firstIs ? first : second;
    }
    String firstKey = binaryName(first.getEnclosingElement()) + firstReturns;
    String secondKey = binaryName(second.getEnclosingElement()) + secondReturns;
    return firstKey.compareTo(secondKey) <= 0 ? first : second;
  }

  private String binaryName(Element type) {
    return elements.getBinaryName((TypeElement) type).toString();
  }

  private TypeMirror returnType(DeclaredType owner, ExecutableElement method) {
    return ((ExecutableType) types.asMemberOf(owner, method)).getReturnType();
  }

  private static String name(ExecutableElement method) {
    return method.getSimpleName().toString();
  }

  @Override
  public Map<String, JavacType> recordComponents(JavacType type) {
    TypeMirror mirror = type.mirror();
    if (mirror.getKind() != TypeKind.DECLARED
        || ((DeclaredType) mirror).asElement().getKind() != ElementKind.RECORD) {
      return Map.of();
    }
    DeclaredType declared = (DeclaredType) mirror;
    Map<String, JavacType> components = new LinkedHashMap<>();
    for (RecordComponentElement component :
        ((TypeElement) declared.asElement()).getRecordComponents()) {
      components.put(
          component.getSimpleName().toString(),
          wrap(returnType(declared, component.getAccessor())));
    }
    return components;
  }

  @Override
  public JavacType elementType(JavacType type) {
    TypeMirror mirror = type.mirror();
    if (mirror.getKind() == TypeKind.ARRAY) {
      return wrap(((ArrayType) mirror).getComponentType());
    }
    if (kind(type) == Kind.LIST) {
      return typeArgument(mirror, list, 0);
    }
    throw new IllegalArgumentException(displayName(type) + " is not a List or an array");
  }

  @Override
  public JavacType mapKeyType(JavacType type) {
    return mapTypeArgument(type, 0);
  }

  @Override
  public JavacType mapValueType(JavacType type) {
    return mapTypeArgument(type, 1);
  }

  private JavacType mapTypeArgument(JavacType type, int index) {
    if (kind(type) != Kind.MAP) {
      throw new IllegalArgumentException(displayName(type) + " is not a Map");
    }
    return typeArgument(type.mirror(), map, index);
  }

  /**
   * The {@code index}th type argument that {@code type} gives the generic type {@code target}
   * through its supertypes; {@code Object} when {@code type} or a step on the way is raw.
   */
  private JavacType typeArgument(TypeMirror type, TypeMirror target, int index) {
    Deque<TypeMirror> pending = new ArrayDeque<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      TypeMirror next = pending.remove();
      if (types.isSameType(types.erasure(next), target)) {
        List<? extends TypeMirror> arguments = ((DeclaredType) next).getTypeArguments();
        return wrap(arguments.isEmpty() ? object : arguments.get(index));
      }
      pending.addAll(types.directSupertypes(next));
    }
    return wrap(object);
  }

  /**
   * {@code type} with type variables replaced by their erasure and wildcards by their upper bound
   * ({@code Object} for {@code ? super X}), as the engine's reflection model resolves them.
   */
  private TypeMirror resolve(TypeMirror type) {
    switch (type.getKind()) {
      case TYPEVAR:
      case INTERSECTION:
        return types.erasure(type);
      case WILDCARD:
        WildcardType wildcard = (WildcardType) type;
        if (wildcard.getSuperBound() != null || wildcard.getExtendsBound() == null) {
          return object;
        }
        return resolve(wildcard.getExtendsBound());
      case ARRAY:
        return types.getArrayType(resolve(((ArrayType) type).getComponentType()));
      case DECLARED:
        DeclaredType declared = (DeclaredType) type;
        List<? extends TypeMirror> arguments = declared.getTypeArguments();
        if (arguments.isEmpty()) {
          return type;
        }
        TypeMirror[] resolved = new TypeMirror[arguments.size()];
        for (int i = 0; i < resolved.length; i++) {
          resolved[i] = resolve(arguments.get(i));
        }
        TypeElement element = (TypeElement) declared.asElement();
        TypeMirror enclosing = declared.getEnclosingType();
        if (enclosing.getKind() == TypeKind.DECLARED
            && !((DeclaredType) enclosing).getTypeArguments().isEmpty()) {
          return types.getDeclaredType((DeclaredType) resolve(enclosing), element, resolved);
        }
        return types.getDeclaredType(element, resolved);
      default:
        return type;
    }
  }

  /** Whether the type belongs to the JDK (a {@code java.*} or {@code jdk.*} module). */
  boolean isJdk(TypeElement type) {
    ModuleElement module = elements.getModuleOf(type);
    if (module == null || module.isUnnamed()) {
      return false;
    }
    return JdkAccessors.isJdkModule(module.getQualifiedName().toString());
  }
}
