package io.github.researchcycle.core.publish;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.DidYouMean;
import io.github.researchcycle.core.config.YamlFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The research repository's reviewed false positives of the secret scan,
 * {@value #FILE}: each entry names a path, a rule and a fingerprint, and says why it is no secret.
 * An optional {@code entropy} replaces the threshold of the high-entropy rules.
 *
 * <pre>
 * entropy: 4.0
 * allow:
 *   - path: data/vocab.txt
 *     rule: generic-high-entropy
 *     fingerprint: sha256:0f3c5a1b2d4e6f70
 *     reason: a vocabulary id that looks random, not a credential
 * </pre>
 */
public record SecretAllowList(Double entropy, List<Entry> allow) {
  /** The allow-list's place in a research folder. */
  public static final String FILE = ".research/secrets-allow.yaml";

  /** One reviewed finding: the file, the rule, the fingerprint the scan printed, and why it is allowed. */
  public record Entry(String path, String rule, String fingerprint, String reason) {
    boolean allows(SecretFinding f) {
      return path.equals(f.path()) && rule.equals(f.ruleId()) && fingerprint.equals(f.fingerprint());
    }
  }

  /** No file: nothing allowed, the rules' own thresholds. */
  public static final SecretAllowList NONE = new SecretAllowList(null, List.of());

  /** Whether a finding is one the researcher reviewed and allowed. */
  public boolean allows(SecretFinding f) {
    return allow != null && allow.stream().anyMatch(e -> e.allows(f));
  }

  /**
   * Reads the allow-list of a research folder (none when the file is absent), refusing with file,
   * line and key an entry that lacks one of its four keys, names a rule that {@code rules} does not
   * have, or holds a fingerprint not in the scan's form.
   */
  public static SecretAllowList read(Path folder, SecretRules rules) {
    Path file = folder.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return NONE;
    }
    SecretAllowList list = YamlFiles.read(folder, file, SecretAllowList.class);
    if (list.entropy() != null && !(list.entropy() > 0 && list.entropy() <= 8)) {
      throw new ResearchException(YamlFiles.at(folder, file, "entropy") + ": `entropy` must be a number of bits per "
          + "character above 0 and at most 8, found " + list.entropy() + ". Fix the value (the rules use 3.5).");
    }
    List<Entry> entries = list.allow() == null ? List.of() : list.allow();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      String at = "allow[" + i + "]";
      if (e == null) {
        throw new ResearchException(YamlFiles.at(folder, file, "allow") + ": `" + at + "` is empty. Fix: give it "
            + "path, rule, fingerprint and reason, or remove it.");
      }
      Map<String, String> keys = new LinkedHashMap<>();
      keys.put("path", e.path());
      keys.put("rule", e.rule());
      keys.put("fingerprint", e.fingerprint());
      keys.put("reason", e.reason());
      String present = keys.entrySet().stream().filter(k -> k.getValue() != null).map(Map.Entry::getKey)
          .findFirst().orElse(null);
      String where = present == null ? YamlFiles.at(folder, file, "allow") : YamlFiles.at(folder, file, at + "." + present);
      for (var k : keys.entrySet()) {
        if (k.getValue() == null || k.getValue().isBlank()) {
          String why = k.getKey().equals("reason") ? "every allowed finding says why it is not a secret"
              : "an entry names the path, the rule and the fingerprint that the refused publication printed";
          throw new ResearchException(where + ": `" + at + "." + k.getKey() + "` is missing: " + why
              + ". Fix: add `" + k.getKey() + ": …` to the entry, or remove the entry.");
        }
      }
      if (rules.rule(e.rule()) == null) {
        List<String> known = rules.rules().stream().map(SecretRules.Rule::id).toList();
        List<String> close = DidYouMean.suggestions(e.rule(), known);
        throw new ResearchException(YamlFiles.at(folder, file, at + ".rule") + ": `" + at + ".rule` names no rule `"
            + e.rule() + "`" + (close.isEmpty() ? "" : " (did you mean "
            + close.stream().map(c -> "`" + c + "`").collect(Collectors.joining(" or ")) + "?)")
            + ". Fix: copy the rule id from the refused publication's message.");
      }
      if (!e.fingerprint().matches("sha256:[0-9a-f]{16}")) {
        throw new ResearchException(YamlFiles.at(folder, file, at + ".fingerprint") + ": `" + at + ".fingerprint` "
            + "must be `sha256:` and 16 hex digits, found `" + e.fingerprint() + "`. Fix: copy it from the refused "
            + "publication's message.");
      }
    }
    return new SecretAllowList(list.entropy(), List.copyOf(entries));
  }
}
