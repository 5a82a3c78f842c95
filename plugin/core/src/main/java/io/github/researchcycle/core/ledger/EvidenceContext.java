package io.github.researchcycle.core.ledger;

import io.github.researchcycle.core.publish.Tagger;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.ledger.LedgerEntry;
import io.github.researchcycle.model.ledger.LedgerEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The template context that the evidence gives the writeup: every claim run, deletions, earlier publications. */
public final class EvidenceContext {

  private EvidenceContext() {}

  /** Adds {@code claimRuns}, {@code deletedRuns}, {@code earlierPublications}, {@code ledger} to {@code c}. */
  public static void put(Map<String, Object> c, Evidence ev, List<RunRecord> records, String metric, String tag) {
    Map<String, RunRecord> byId = new LinkedHashMap<>();
    records.forEach(r -> byId.put(r.id(), r));
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Map<String, Object>> deleted = new ArrayList<>();
    for (Evidence.RunStandingRow row : ev.runs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", row.run());
      m.put("experiment", row.experiment());
      m.put("seed", row.seed());
      m.put("status", row.status());
      m.put("standing", row.standing().word());
      RunRecord r = byId.get(row.run());
      Double value = r == null || r.finalMetrics() == null ? null : r.finalMetrics().get(metric);
      m.put("metric", value == null ? "—" : String.format(Locale.ROOT, "%.4f", value));
      m.put("metricValue", value == null || !Double.isFinite(value) ? null : value);
      m.put("note", row.note() == null ? "" : row.note());
      rows.add(m);
      if (row.standing() == Standing.DELETED) {
        deleted.add(m);
      }
    }
    c.put("claimRuns", rows);
    c.put("deletedRuns", deleted);
    c.put("runsDeleted", deleted.size());
    List<Map<String, Object>> pubs = new ArrayList<>();
    int number = Tagger.publishedNumber(tag);
    // The ledger as this publication judged it: its own entry's view when it is recorded already.
    int entries = ev.ledger().size();
    String head = ev.ledger().head();
    for (LedgerEntry e : ev.ledger().entries()) {
      if (e.event() instanceof LedgerEvent.Published p && p.tag().equals(tag)) {
        entries = e.seq() - 1;
        head = e.prev();
        break;
      }
    }
    for (LedgerEvent.Published p : ev.publications()) {
      if (p.tag().equals(tag) || number > 0 && p.number() >= number) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("number", p.number());
      m.put("tag", p.tag());
      m.put("verdict", p.verdict());
      m.put("claim", describe(p.claim()));
      m.put("changes", p.changes() == null ? List.of() : p.changes());
      pubs.add(m);
    }
    c.put("earlierPublications", pubs);
    Map<String, Object> ledger = new LinkedHashMap<>();
    ledger.put("entries", entries);
    ledger.put("head", head == null ? "(empty)" : head);
    c.put("ledger", ledger);
  }

  /** A claim's fields as one line. */
  public static String describe(Map<String, String> claim) {
    if (claim == null || claim.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    claim.forEach((k, v) -> {
      if (!k.equals("claim.statement")) {
        parts.add(k + " " + v);
      }
    });
    return String.join(", ", parts);
  }
}
