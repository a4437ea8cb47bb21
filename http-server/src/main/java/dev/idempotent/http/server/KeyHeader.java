package dev.idempotent.http.server;

/**
 * Reads the {@code Idempotency-Key} field value. The draft defines it as a Structured Field Item
 * whose value is a String (RFC 8941 {@code sf-string}: printable ASCII in double quotes, with
 * {@code \"} and {@code \\} escaped), optionally followed by parameters, which are checked and
 * ignored. Most clients send the key bare, so a bare token (the characters of an HTTP token plus
 * {@code : / =}, which covers UUIDs, ULIDs and Base64 keys) is accepted too.
 */
final class KeyHeader {

  /** Why a field value is not a key; the message is the problem's detail. */
  static final class InvalidKey extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidKey(String detail) {
      super(detail, null, false, false);
    }
  }

  private KeyHeader() {}

  /**
   * The key in a field value.
   *
   * @param field the field value as received
   * @param maxLength the longest key accepted
   * @throws InvalidKey with a detail for the client
   */
  static String parse(String field, int maxLength) throws InvalidKey {
    int start = 0;
    int end = field.length();
    while (start < end && isOws(field.charAt(start))) {
      start++;
    }
    while (end > start && isOws(field.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      throw new InvalidKey("The Idempotency-Key header is empty; send a non-empty key.");
    }
    // a key far beyond the limit is refused before any work is spent on it
    if (end - start > 2 * maxLength + 256) {
      throw tooLong(maxLength);
    }
    String key =
        field.charAt(start) == '"'
            ? quoted(field, start, end, maxLength)
            : bare(field, start, end, maxLength);
    if (key.isEmpty()) {
      throw new InvalidKey(
          "The Idempotency-Key header holds an empty string; send a non-empty key.");
    }
    return key;
  }

  private static String quoted(String field, int start, int end, int maxLength) throws InvalidKey {
    StringBuilder key = new StringBuilder(Math.min(end - start, maxLength + 1));
    int i = start + 1;
    while (true) {
      if (i >= end) {
        throw new InvalidKey(
            "The Idempotency-Key header opens a quoted string but does not close it; send"
                + " \"key\" or a bare token.");
      }
      char c = field.charAt(i++);
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        if (i >= end || (field.charAt(i) != '"' && field.charAt(i) != '\\')) {
          throw new InvalidKey(
              "The Idempotency-Key header holds a backslash that escapes neither \" nor \\ (RFC"
                  + " 8941 section 3.3.3).");
        }
        c = field.charAt(i++);
      } else if (c < 0x20 || c > 0x7e) {
        throw notPrintable(c);
      }
      if (key.length() == maxLength) {
        throw tooLong(maxLength);
      }
      key.append(c);
    }
    parameters(field, i, end);
    return key.toString();
  }

  /** Checks the parameters after the string (RFC 8941 section 3.1.2); their values are ignored. */
  private static void parameters(String field, int i, int end) throws InvalidKey {
    while (i < end) {
      char c = field.charAt(i);
      if (c == ',') {
        throw moreThanOne();
      }
      if (c != ';') {
        throw new InvalidKey(
            "The Idempotency-Key header has '"
                + printable(c)
                + "' after the quoted key where only ';' parameters may follow.");
      }
      i++;
      while (i < end && field.charAt(i) == ' ') {
        i++;
      }
      int keyStart = i;
      while (i < end && isParameterKeyChar(field.charAt(i), i == keyStart)) {
        i++;
      }
      if (i == keyStart) {
        throw new InvalidKey("The Idempotency-Key header has a ';' parameter without a name.");
      }
      if (i < end && field.charAt(i) == '=') {
        i = bareItem(field, i + 1, end);
      }
    }
  }

  /**
   * Skips one bare item (string, token, number, boolean, byte sequence) and returns where it ends.
   */
  private static int bareItem(String field, int i, int end) throws InvalidKey {
    if (i < end && field.charAt(i) == '"') {
      i++;
      while (i < end && field.charAt(i) != '"') {
        char c = field.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw notPrintable(c);
        }
        i += c == '\\' ? 2 : 1;
      }
      if (i >= end) {
        throw new InvalidKey(
            "The Idempotency-Key header has a parameter string that is not closed.");
      }
      return i + 1;
    }
    int valueStart = i;
    while (i < end && field.charAt(i) != ';' && field.charAt(i) != ',') {
      char c = field.charAt(i);
      if (!isTokenChar(c) && c != ':' && c != '/' && c != '?' && c != '=') {
        throw new InvalidKey(
            "The Idempotency-Key header has a parameter value with '" + printable(c) + "'.");
      }
      i++;
    }
    if (i == valueStart) {
      throw new InvalidKey("The Idempotency-Key header has a parameter with '=' but no value.");
    }
    return i;
  }

  private static String bare(String field, int start, int end, int maxLength) throws InvalidKey {
    for (int i = start; i < end; i++) {
      char c = field.charAt(i);
      if (isTokenChar(c) || c == ':' || c == '/' || c == '=') {
        continue;
      }
      if (c == ',') {
        throw moreThanOne();
      }
      if (c < 0x20 || c > 0x7e) {
        throw notPrintable(c);
      }
      throw new InvalidKey(
          "The Idempotency-Key header holds '"
              + c
              + "', which a bare key may not contain; send the key as a quoted string (\"...\")"
              + " as the Idempotency-Key draft defines it.");
    }
    if (end - start > maxLength) {
      throw tooLong(maxLength);
    }
    return field.substring(start, end);
  }

  static InvalidKey moreThanOne() {
    return new InvalidKey(
        "The request carries more than one Idempotency-Key; send exactly one key per request.");
  }

  private static InvalidKey tooLong(int maxLength) {
    return new InvalidKey(
        "The Idempotency-Key is longer than " + maxLength + " characters; send a shorter key.");
  }

  private static InvalidKey notPrintable(char c) {
    return new InvalidKey(
        "The Idempotency-Key header holds the character "
            + String.format("U+%04X", (int) c)
            + "; a key holds printable ASCII characters only.");
  }

  private static String printable(char c) {
    return c >= 0x20 && c <= 0x7e ? String.valueOf(c) : String.format("U+%04X", (int) c);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isParameterKeyChar(char c, boolean first) {
    if ((c >= 'a' && c <= 'z') || c == '*') {
      return true;
    }
    return !first && ((c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.');
  }

  /** RFC 9110 {@code tchar}. */
  private static boolean isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
