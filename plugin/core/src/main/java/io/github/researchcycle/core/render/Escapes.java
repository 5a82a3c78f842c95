package io.github.researchcycle.core.render;

/** Escaping for rendered HTML and Markdown: any text shows as text, never as markup. */
public final class Escapes {
  /** Text safe in HTML element content and attribute values. */
  public String html(Object s) {
    String t = String.valueOf(s);
    StringBuilder b = new StringBuilder(t.length() + 16);
    for (char c : t.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Text safe in a Markdown table cell. */
  public String cell(Object s) {
    return String.valueOf(s).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
  }
}
