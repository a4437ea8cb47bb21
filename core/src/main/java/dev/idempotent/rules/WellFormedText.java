package dev.idempotent.rules;

/**
 * Whether text is well-formed UTF-16: every surrogate is half of a pair. Only such text becomes
 * bytes without loss: {@code String.getBytes(UTF_8)} turns an unpaired surrogate into {@code '?'},
 * so {@code "a\uD800"} and {@code "a?"} would become the same bytes, the same Redis key, the same
 * SQL primary key and the same hash. The engine refuses keys and namespaces that are not
 * well-formed before any store sees them, so that every store may encode text as UTF-8 and two
 * distinct keys never share a record. Stateless.
 */
public final class WellFormedText {
  private WellFormedText() {}

  /**
   * The index of the first unpaired surrogate in {@code text}, or -1 when there is none.
   *
   * @param text the text to look at; not null
   */
  public static int unpairedSurrogate(String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * What is wrong with a namespace that is not well-formed, as the sentence of a definition error
   * (shared by the engine and the annotation processor), or null when it is well-formed.
   */
  public static String namespaceProblem(String namespace) {
    int at = unpairedSurrogate(namespace);
    if (at < 0) {
      return null;
    }
    return "the namespace has "
        + describe(namespace, at)
        + ", which UTF-8 turns into '?', so it would share records with another namespace; write"
        + " it as well-formed text.";
  }

  /**
   * Says where {@code text} is not well-formed, for messages that must not repeat the text itself
   * (keys may carry user data): {@code "an unpaired surrogate U+D800 at index 1 (of 2
   * characters)"}.
   *
   * @param text the text, which has an unpaired surrogate at {@code index}
   * @param index what {@link #unpairedSurrogate(String)} answered
   */
  public static String describe(String text, int index) {
    return String.format(
        "an unpaired surrogate U+%04X at index %d (of %d characters)",
        (int) text.charAt(index), index, text.length());
  }
}
