package io.github.researchcycle.core.publish;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The secret scan's rules as data: a file in gitleaks' rule format (TOML), read with Jackson and
 * compiled once. The rules shipped with research-core are {@link #standard()}.
 */
public record SecretRules(List<Rule> rules, Allowlist allowlist) {
  /** The resource that holds the shipped rules. */
  public static final String RESOURCE = "secret-rules.toml";

  private static final TomlMapper TOML = TomlMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private static final SecretRules STANDARD = load();

  /** The file as written: a title, the rules and the global allowlist. */
  record RuleFile(String title, List<RuleSpec> rules, AllowlistSpec allowlist) {}

  /** One {@code [[rules]]} table as written. */
  record RuleSpec(String id, String description, String regex, Integer secretGroup, Double entropy,
      List<String> keywords, String path, List<String> tags, List<AllowlistSpec> allowlists) {}

  /** An {@code [allowlist]} or {@code [[rules.allowlists]]} table as written. */
  record AllowlistSpec(String description, List<String> regexes, String regexTarget, List<String> stopwords,
      List<String> paths) {}

  /**
   * A compiled rule: it matches the path ({@code path}), the content ({@code regex}), or the content
   * of files whose path matches.
   */
  public record Rule(String id, String description, Pattern regex, int secretGroup, double entropy,
      List<String> keywords, Pattern path, List<Allowlist> allowlists) {
    /** Whether the rule looks at file names only. */
    public boolean pathOnly() {
      return regex == null;
    }

    /** This rule with another entropy threshold (when it has one). */
    Rule withEntropy(double threshold) {
      return entropy > 0 ? new Rule(id, description, regex, secretGroup, threshold, keywords, path, allowlists) : this;
    }
  }

  /** What drops a match: regexes on the secret, the match or the line; stopwords; paths. */
  public record Allowlist(List<Pattern> regexes, String regexTarget, List<String> stopwords, List<Pattern> paths) {
    static final Allowlist NONE = new Allowlist(List.of(), "secret", List.of(), List.of());

    /** Whether the path alone is allowed. */
    boolean allowsPath(String file) {
      return paths.stream().anyMatch(p -> p.matcher(file).find());
    }

    /** Whether a match (its secret, whole text and line) is allowed. */
    boolean allows(String secret, String match, String line) {
      String target = switch (regexTarget) {
        case "match" -> match;
        case "line" -> line;
        default -> secret;
      };
      if (regexes.stream().anyMatch(p -> p.matcher(target).find())) {
        return true;
      }
      String lower = secret.toLowerCase(Locale.ROOT);
      return stopwords.stream().anyMatch(lower::contains);
    }
  }

  /** The rules shipped with research-core. */
  public static SecretRules standard() {
    return STANDARD;
  }

  private static SecretRules load() {
    try (InputStream in = SecretRules.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("research-core lacks its resource " + RESOURCE);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * Reads and compiles a rule file; {@code name} names it in errors.
   *
   * @throws IllegalArgumentException for a file that is not TOML, an unknown key, a rule without
   *     an id or without both regex and path, a duplicate id, or a regular expression that does not compile
   */
  public static SecretRules parse(String toml, String name) {
    RuleFile file;
    try {
      file = TOML.readValue(toml, RuleFile.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (RuleSpec r : file.rules() == null ? List.<RuleSpec>of() : file.rules()) {
      if (r.id() == null || r.id().isBlank()) {
        throw new IllegalArgumentException(name + ": a rule without an id");
      }
      if (!ids.add(r.id())) {
        throw new IllegalArgumentException(name + ": rule " + r.id() + " is defined twice");
      }
      if (r.regex() == null && r.path() == null) {
        throw new IllegalArgumentException(name + ": rule " + r.id() + " has neither regex nor path");
      }
      List<Allowlist> lists = new ArrayList<>();
      for (AllowlistSpec a : r.allowlists() == null ? List.<AllowlistSpec>of() : r.allowlists()) {
        lists.add(allowlist(a, name + " rule " + r.id()));
      }
      rules.add(new Rule(r.id(), r.description() == null ? r.id() : r.description(),
          compile(r.regex(), name + " rule " + r.id()), r.secretGroup() == null ? 0 : r.secretGroup(),
          r.entropy() == null ? 0 : r.entropy(),
          r.keywords() == null ? List.of() : r.keywords().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList(),
          compile(r.path(), name + " rule " + r.id()), List.copyOf(lists)));
    }
    return new SecretRules(List.copyOf(rules),
        file.allowlist() == null ? Allowlist.NONE : allowlist(file.allowlist(), name + " [allowlist]"));
  }

  /** These rules, every entropy threshold replaced by {@code threshold}. */
  public SecretRules withEntropy(double threshold) {
    return new SecretRules(rules.stream().map(r -> r.withEntropy(threshold)).toList(), allowlist);
  }

  /** The rule with this id, or null. */
  public Rule rule(String id) {
    return rules.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
  }

  private static Allowlist allowlist(AllowlistSpec a, String where) {
    String target = a.regexTarget() == null ? "secret" : a.regexTarget();
    if (!List.of("secret", "match", "line").contains(target)) {
      throw new IllegalArgumentException(where + ": regexTarget must be secret, match or line, not " + target);
    }
    return new Allowlist(
        a.regexes() == null ? List.of() : a.regexes().stream().map(x -> compile(x, where)).toList(), target,
        a.stopwords() == null ? List.of() : a.stopwords().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList(),
        a.paths() == null ? List.of() : a.paths().stream().map(x -> compile(x, where)).toList());
  }

  private static Pattern compile(String regex, String where) {
    if (regex == null) {
      return null;
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(where + ": the regular expression does not compile: "
          + e.getDescription(), e);
    }
  }
}
