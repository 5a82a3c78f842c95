package io.github.researchcycle.core.descriptor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code research.yaml}: the project's pre-registration. Unknown keys are refused with a hint.
 *
 * @param title the project's title
 * @param paper the paper being reproduced or improved on
 * @param question the research question
 * @param hypothesis the expected answer, stated before the runs
 * @param metric the metric the claim is judged on
 * @param baseline the baseline experiment
 * @param method the experiment the claim is about
 * @param claim the claim and its success criterion
 * @param seeds seeds each claim experiment needs
 * @param estimate the time the project is expected to take
 * @param scope the declared scope factors
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Descriptor(
    String title,
    Paper paper,
    String question,
    String hypothesis,
    Metric metric,
    String baseline,
    String method,
    Claim claim,
    Integer seeds,
    Estimate estimate,
    Scope scope) {

  /**
   * The paper.
   *
   * @param citation the full citation
   * @param url where to read it
   * @param hasCode whether the authors published code
   */
  public record Paper(String citation, String url, @JsonProperty("hasCode") Boolean hasCode) {}

  /**
   * The metric.
   *
   * @param name the name logged in metrics.jsonl, for example {@code validate_accuracy}
   * @param goal {@code maximize} or {@code minimize}
   */
  public record Metric(String name, Goal goal) {}

  /** Which direction is better. */
  public enum Goal {
    /** Higher is better. */
    @JsonProperty("maximize") MAXIMIZE,
    /** Lower is better. */
    @JsonProperty("minimize") MINIMIZE
  }

  /**
   * The claim.
   *
   * @param type {@code reproduce} or {@code improve}
   * @param reported for reproduce: the paper's value
   * @param tolerance for reproduce: how far ours may be from it
   * @param margin for improve: by how much the method must beat the baseline
   * @param statement the claim in words
   */
  public record Claim(ClaimType type, Double reported, Double tolerance, Double margin, String statement) {}

  /** The kind of claim. */
  public enum ClaimType {
    /** Our number matches the paper's within a tolerance. */
    @JsonProperty("reproduce") REPRODUCE,
    /** The method beats the baseline by a margin. */
    @JsonProperty("improve") IMPROVE
  }

  /**
   * The time estimate.
   *
   * @param hours the whole project, in hours
   */
  public record Estimate(Double hours) {}

  /**
   * Scope factors that cannot be seen in the repository and are declared.
   *
   * @param newDataset a data set nobody has trained this kind of model on
   * @param offStructure a model that does not fit the library's structure
   * @param notes anything else that makes the project larger
   */
  public record Scope(Boolean newDataset, Boolean offStructure, List<String> notes) {}
}
