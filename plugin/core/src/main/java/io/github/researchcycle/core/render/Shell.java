package io.github.researchcycle.core.render;

/** Shell quoting for rendered scripts: any text becomes one literal word, never code. */
public final class Shell {
  /** Quotes {@code s} for POSIX sh as one word: {@code it's} becomes {@code 'it'\''s'}. */
  public String quote(Object s) {
    String text = String.valueOf(s);
    if (!text.isEmpty() && text.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return text;
    }
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** Text safe inside a shell comment: one line, no control characters. */
  public String comment(Object s) {
    return String.valueOf(s).replaceAll("[\\p{Cntrl}]", " ");
  }
}
