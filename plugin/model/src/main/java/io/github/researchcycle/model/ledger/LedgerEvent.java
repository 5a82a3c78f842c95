package io.github.researchcycle.model.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * What happened, as one ledger entry records it. Each kind names its {@code type} in the JSON line;
 * readers of older ledgers ignore fields they do not know.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = LedgerEvent.ClaimRegistered.class, name = "claim-registered"),
  @JsonSubTypes.Type(value = LedgerEvent.ClaimChanged.class, name = "claim-changed"),
  @JsonSubTypes.Type(value = LedgerEvent.RunStarted.class, name = "run-started"),
  @JsonSubTypes.Type(value = LedgerEvent.RunResumed.class, name = "run-resumed"),
  @JsonSubTypes.Type(value = LedgerEvent.RunEnded.class, name = "run-ended"),
  @JsonSubTypes.Type(value = LedgerEvent.RunAdopted.class, name = "run-adopted"),
  @JsonSubTypes.Type(value = LedgerEvent.RunDeleted.class, name = "run-deleted"),
  @JsonSubTypes.Type(value = LedgerEvent.Verified.class, name = "verified"),
  @JsonSubTypes.Type(value = LedgerEvent.Published.class, name = "published"),
})
public sealed interface LedgerEvent {

  /** The run this event is about, or null when it is about the project (claim, publication). */
  default String run() {
    return null;
  }

  /**
   * The claim as pre-registered: research.yaml's judged fields when the first full run started.
   *
   * @param commit the commit research.yaml was read at
   * @param claim the judged fields by name ({@code claim.margin}, {@code metric.name}, …), as text
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ClaimRegistered(String commit, Map<String, String> claim) implements LedgerEvent {}

  /**
   * The claim changed after its registration.
   *
   * @param commit the commit research.yaml was read at
   * @param claim the judged fields now
   * @param changes each changed field as {@code field: before -> now}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ClaimChanged(String commit, Map<String, String> claim, List<String> changes)
      implements LedgerEvent {}

  /**
   * A run's record was created.
   *
   * @param run the run id
   * @param experiment the experiment
   * @param seed the seed
   * @param profile the launch profile
   * @param purpose null for a run of the experiment, else what it is for ({@code lr-find})
   * @param sweep the sweep it is a point of, or null
   * @param commit the commit it runs
   * @param clean whether the tree was clean
   * @param codeIdentity the tree hash of what builds and trains, or null on a dirty tree
   * @param configHash the resolved configuration's hash
   * @param overrides the command-line overrides applied
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RunStarted(
      String run,
      String experiment,
      long seed,
      String profile,
      String purpose,
      String sweep,
      String commit,
      boolean clean,
      String codeIdentity,
      String configHash,
      List<String> overrides)
      implements LedgerEvent {}

  /**
   * A run was resumed from a checkpoint.
   *
   * @param run the run id
   * @param commit the commit the resumed attempt runs
   * @param codeIdentity its code identity
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RunResumed(String run, String commit, String codeIdentity) implements LedgerEvent {}

  /**
   * A run reached a final status (or its final record was rewritten).
   *
   * @param run the run id
   * @param status the final status ({@code finished}, {@code failed}, …)
   * @param experiment the experiment
   * @param seed the seed
   * @param codeIdentity the code identity it ran
   * @param configHash the resolved configuration's hash
   * @param runJson {@code sha256:} of {@code run.json} as written
   * @param metrics {@code sha256:} of {@code metrics.jsonl}, or null when it has none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RunEnded(
      String run,
      String status,
      String experiment,
      long seed,
      String codeIdentity,
      String configHash,
      String runJson,
      String metrics)
      implements LedgerEvent {}

  /**
   * A run made before the ledger existed, entered after the fact with its files as they were then.
   *
   * @param run the run id
   * @param status its status
   * @param experiment the experiment
   * @param seed the seed
   * @param codeIdentity its code identity (from its recorded commit), or null when unknown
   * @param configHash the resolved configuration's hash
   * @param runJson {@code sha256:} of {@code run.json}
   * @param metrics {@code sha256:} of {@code metrics.jsonl}, or null
   * @param note why it was entered after the fact
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RunAdopted(
      String run,
      String status,
      String experiment,
      long seed,
      String codeIdentity,
      String configHash,
      String runJson,
      String metrics,
      String note)
      implements LedgerEvent {}

  /**
   * A run was removed on purpose, with the researcher's reason.
   *
   * @param run the run id
   * @param experiment its experiment
   * @param seed its seed
   * @param status its status when removed
   * @param reason why, in the researcher's words
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RunDeleted(String run, String experiment, long seed, String status, String reason)
      implements LedgerEvent {}

  /**
   * A recorded run was re-run and compared.
   *
   * @param run the run id
   * @param matched whether every metric agreed
   * @param tolerance the tolerance used (0 for bit for bit)
   * @param verification {@code sha256:} of {@code verification.json}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Verified(String run, boolean matched, double tolerance, String verification)
      implements LedgerEvent {}

  /**
   * A publication.
   *
   * @param number its number in the series (1, 2, …)
   * @param tag the annotated tag's name
   * @param verdict the verdict of the claim as pre-registered
   * @param claim the claim as pre-registered
   * @param changes the claim's changes since then ({@code field: before -> now}), empty when none
   * @param editedVerdict the verdict of the edited claim, or null when the claim did not change
   * @param commit the commit published
   * @param judgedHead the ledger head the publication judged (the entry before this one)
   * @param runs the runs the claim was judged on
   * @param note how the entry was made when not at the publication itself (entered after the fact)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Published(
      int number,
      String tag,
      String verdict,
      Map<String, String> claim,
      List<String> changes,
      String editedVerdict,
      String commit,
      String judgedHead,
      List<String> runs,
      String note)
      implements LedgerEvent {}
}
