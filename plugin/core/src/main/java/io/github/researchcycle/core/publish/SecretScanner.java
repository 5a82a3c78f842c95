package io.github.researchcycle.core.publish;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;

/**
 * Applies {@link SecretRules} to one file: its path, then every byte of its content, streamed in
 * overlapping chunks of any size. Bytes that are not printable ASCII (NUL, control characters,
 * anything past 0x7E) become separators, so a binary file is scanned by its printable runs as
 * {@code strings} shows them; base64 runs whose decoding is mostly text are decoded and scanned
 * again (twice nested at most, for base64 inside base64).
 */
final class SecretScanner {
  /** Characters scanned at once. */
  static final int CHUNK = 1 << 20;
  /** Characters at a chunk's end left to the next chunk, so that no match is cut (longer than any rule's match). */
  static final int OVERLAP = 16 << 10;
  /** Characters kept before the next chunk's first new character, for look-behind. */
  static final int CONTEXT = 512;
  /** How deep base64 inside base64 is followed. */
  static final int MAX_DEPTH = 2;
  /** The separator that stands for a byte that is not printable. */
  static final char SEPARATOR = '\0';

  /** How far around a keyword a rule is tried: more than the longest match of any rule. */
  static final int RADIUS = 4608;

  private final SecretRules rules;

  SecretScanner(SecretRules rules) {
    this.rules = rules;
  }

  /**
   * The findings in one file, in order of line, each (line, rule, secret) once; {@code path} is
   * relative to the research folder with {@code /} separators.
   */
  List<SecretFinding> scan(String path, InputStream content) throws IOException {
    if (rules.allowlist().allowsPath(path)) {
      return List.of();
    }
    Map<String, SecretFinding> found = new LinkedHashMap<>();
    List<SecretRules.Rule> forContent = new ArrayList<>();
    for (SecretRules.Rule r : rules.rules()) {
      boolean pathMatches = r.path() == null || r.path().matcher(path).find();
      if (!pathMatches || r.allowlists().stream().anyMatch(a -> a.allowsPath(path))) {
        continue;
      }
      if (r.pathOnly()) {
        SecretFinding f = SecretFinding.ofName(path, r);
        found.put(r.id() + " " + f.fingerprint(), f);
      } else {
        forContent.add(r);
      }
    }
    if (content != null && !forContent.isEmpty()) {
      streamContent(path, content, forContent, found);
    }
    return found.values().stream()
        .sorted(Comparator.comparingInt(SecretFinding::line)).toList();
  }

  private void streamContent(String path, InputStream in, List<SecretRules.Rule> content,
      Map<String, SecretFinding> found) throws IOException {
    StringBuilder text = new StringBuilder(CHUNK + (1 << 16));
    byte[] buffer = new byte[1 << 16];
    int line = 1;
    int acceptFrom = 0;
    boolean eof = false;
    while (!eof) {
      while (text.length() < CHUNK) {
        int n = in.read(buffer);
        if (n < 0) {
          eof = true;
          break;
        }
        appendPrintable(text, buffer, n);
      }
      String chunk = text.toString();
      int acceptTo = eof ? chunk.length() : chunk.length() - OVERLAP;
      Lines lines = new Lines(chunk, line);
      scanText(path, chunk, acceptFrom, acceptTo, lines, -1, 0, content, found);
      if (!eof) {
        int keep = acceptTo - CONTEXT;
        line = lines.lineAt(keep);
        text.delete(0, keep);
        acceptFrom = CONTEXT;
      }
    }
  }

  static void appendPrintable(StringBuilder text, byte[] bytes, int n) {
    for (int i = 0; i < n; i++) {
      int b = bytes[i] & 0xff;
      text.append(b >= 0x20 && b < 0x7f || b == '\n' || b == '\r' || b == '\t' ? (char) b : SEPARATOR);
    }
  }

  /**
   * Applies the rules to matches starting in [from, to) of {@code text}; {@code fixedLine} is the
   * line of every match when the text was decoded from base64 (-1 otherwise).
   */
  private void scanText(String path, String text, int from, int to, Lines lines, int fixedLine, int depth,
      List<SecretRules.Rule> content, Map<String, SecretFinding> found) {
    String lower = text.toLowerCase(Locale.ROOT);
    // A secret that an earlier (more specific) rule found is not found again by a later, generic one.
    List<int[]> taken = new ArrayList<>();
    for (SecretRules.Rule rule : content) {
      if (!rule.keywords().isEmpty() && rule.keywords().stream().noneMatch(lower::contains)) {
        continue;
      }
      for (MatchResult m : matches(rule, text, lower, from, to)) {
        int g = secretGroup(m, rule.secretGroup());
        String secret = g < 0 ? "" : m.group(g);
        if (secret.isEmpty() || rule.entropy() > 0 && entropy(secret) < rule.entropy()) {
          continue;
        }
        int start = m.start(g);
        int end = m.end(g);
        if (taken.stream().anyMatch(t -> start < t[1] && t[0] < end)) {
          continue;
        }
        // Taken even when allowed below: a documented example key is not then found by a generic rule.
        taken.add(new int[] {start, end});
        String whole = m.group();
        String lineText = lineAround(text, m.start());
        if (rules.allowlist().allows(secret, whole, lineText)
            || rule.allowlists().stream().anyMatch(a -> a.allows(secret, whole, lineText))) {
          continue;
        }
        int line = fixedLine >= 0 ? fixedLine : lines.lineAt(m.start());
        SecretFinding f = SecretFinding.of(path, line, rule, secret, depth > 0);
        found.putIfAbsent(line + " " + rule.id() + " " + f.fingerprint(), f);
      }
    }
    if (depth < MAX_DEPTH) {
      for (int[] run : base64Runs(text, from, to)) {
        String decoded = decode(text.substring(run[0], run[1]));
        if (decoded != null) {
          int line = fixedLine >= 0 ? fixedLine : lines.lineAt(run[0]);
          scanText(path, decoded, 0, decoded.length(), null, line, depth + 1, content, found);
        }
      }
    }
  }

  /**
   * The matches of a rule that start in [from, to). A rule with keywords is only tried in windows
   * around their occurrences ({@link #RADIUS} either side, longer than any rule's match, and every
   * rule's match holds one of its keywords), so a rare token shape costs next to nothing on a
   * large file.
   */
  private static List<MatchResult> matches(SecretRules.Rule rule, String text, String lower, int from, int to) {
    List<int[]> windows = new ArrayList<>();
    if (rule.keywords().isEmpty()) {
      windows.add(new int[] {from, text.length()});
    } else {
      int last = (int) Math.min(text.length(), (long) to + RADIUS);
      for (String k : rule.keywords()) {
        for (int i = lower.indexOf(k, from); i >= 0 && i < last; i = lower.indexOf(k, i + 1)) {
          windows.add(new int[] {Math.max(from, i - RADIUS), Math.min(text.length(), i + k.length() + RADIUS)});
        }
      }
      windows.sort(Comparator.comparingInt(w -> w[0]));
    }
    List<MatchResult> out = new ArrayList<>();
    Matcher m = rule.regex().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    int[] current = null;
    for (int i = 0; i <= windows.size(); i++) {
      int[] w = i < windows.size() ? windows.get(i) : null;
      if (current != null && w != null && w[0] <= current[1]) {
        current[1] = Math.max(current[1], w[1]);
        continue;
      }
      if (current != null) {
        m.region(current[0], current[1]);
        while (m.find() && m.start() < to) {
          out.add(m.toMatchResult());
        }
      }
      current = w == null ? null : w.clone();
    }
    return out;
  }

  /** The runs of base64 characters (standard or URL-safe, with padding) of 20 or more that start in [from, to). */
  static List<int[]> base64Runs(String text, int from, int to) {
    List<int[]> runs = new ArrayList<>();
    int i = from;
    while (i > 0 && i < text.length() && isBase64(text.charAt(i - 1))) {
      i++; // a run that began before {@code from} was seen with the text before it
    }
    while (i < to) {
      if (!isBase64(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < text.length() && isBase64(text.charAt(i))) {
        i++;
      }
      int end = i;
      while (i < text.length() && i - end < 2 && text.charAt(i) == '=') {
        i++;
      }
      if (end - start >= 20) {
        runs.add(new int[] {start, i});
      }
    }
    return runs;
  }

  private static boolean isBase64(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '-'
        || c == '_';
  }

  /** The group that holds the secret: the rule's, else the first that matched, else 0 (the whole match); -1 for none. */
  private static int secretGroup(MatchResult m, int group) {
    if (group > 0 && group <= m.groupCount()) {
      return m.group(group) == null ? -1 : group;
    }
    for (int g = 1; g <= m.groupCount(); g++) {
      if (m.group(g) != null) {
        return g;
      }
    }
    return 0;
  }

  /**
   * A base64 (standard or URL-safe) run decoded to its printable text, or null when most of it is
   * not text (a hash, an identifier, an image: nothing a secret rule could match).
   */
  static String decode(String run) {
    String s = run.replace('-', '+').replace('_', '/');
    int end = s.indexOf('=');
    s = end >= 0 ? s.substring(0, end) : s;
    if (s.length() % 4 == 1) {
      s = s.substring(0, s.length() - 1);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(s + "==".substring(0, (4 - s.length() % 4) % 4));
    } catch (IllegalArgumentException e) {
      return null;
    }
    int text = 0;
    for (byte x : bytes) {
      int c = x & 0xff;
      if (c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' || c == '\t') {
        text++;
      }
    }
    if (bytes.length < 8 || text < bytes.length * 0.75) {
      return null;
    }
    StringBuilder out = new StringBuilder(bytes.length);
    appendPrintable(out, bytes, bytes.length);
    return out.toString();
  }

  /** Shannon entropy in bits per character. */
  static double entropy(String s) {
    Map<Character, Integer> counts = new HashMap<>();
    for (int i = 0; i < s.length(); i++) {
      counts.merge(s.charAt(i), 1, Integer::sum);
    }
    double h = 0;
    for (int c : counts.values()) {
      double p = (double) c / s.length();
      h -= p * Math.log(p) / Math.log(2);
    }
    return h;
  }

  private static String lineAround(String text, int at) {
    int start = text.lastIndexOf('\n', at) + 1;
    int end = text.indexOf('\n', at);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  /** Line numbers of positions in a chunk whose first character is on line {@code first}. */
  private static final class Lines {
    private final int first;
    private final int[] newlines;

    Lines(String chunk, int first) {
      this.first = first;
      int[] at = new int[64];
      int n = 0;
      for (int i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) {
        if (n == at.length) {
          at = Arrays.copyOf(at, n * 2);
        }
        at[n++] = i;
      }
      this.newlines = Arrays.copyOf(at, n);
    }

    /** The line of the character at {@code index}. */
    int lineAt(int index) {
      int i = Arrays.binarySearch(newlines, index);
      return first + (i >= 0 ? i : -i - 1);
    }
  }
}
