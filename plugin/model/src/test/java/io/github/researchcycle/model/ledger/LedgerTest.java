package io.github.researchcycle.model.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @TempDir Path dir;

  private Path file() {
    return dir.resolve(".research/ledger.jsonl");
  }

  private static LedgerEvent started(String run, long seed) {
    return new LedgerEvent.RunStarted(run, "method", seed, "local", null, null, "abc", true,
        "sha256:code", "sha256:config", List.of());
  }

  @Test
  void appendsChainAndReadsBackEveryKindOfEvent() throws Exception {
    Ledger.append(file(), new LedgerEvent.ClaimRegistered("abc", Map.of("claim.margin", "0.01")), T0);
    Ledger.append(file(), started("r1", 1), T0);
    Ledger.append(file(), new LedgerEvent.RunEnded("r1", "finished", "method", 1, "sha256:code",
        "sha256:config", "sha256:a", "sha256:b"), T0);
    Ledger.append(file(), new LedgerEvent.RunDeleted("r1", "method", 1, "finished", "wrong data"), T0);
    Ledger.append(file(), new LedgerEvent.Published(1, "x-published-1", "NEGATIVE", Map.of(), List.of(),
        null, "abc", "sha256:h", List.of("r1"), null), T0);
    Ledger ledger = Ledger.read(file());
    assertEquals(5, ledger.size());
    assertEquals(List.of(), ledger.chainProblems());
    assertNull(ledger.entries().get(0).prev());
    assertEquals(Sha256.of(ledger.lines().get(0)), ledger.entries().get(1).prev());
    assertTrue(ledger.entries().get(3).event() instanceof LedgerEvent.RunDeleted d && d.reason().equals("wrong data"));
    assertEquals(3, ledger.about("r1").size());
    assertTrue(ledger.lines().get(1).contains("\"type\":\"run-started\""), ledger.lines().get(1));
  }

  @Test
  void anEditedLineBreaksTheChainAtTheNextEntry() throws Exception {
    for (int i = 1; i <= 4; i++) {
      Ledger.append(file(), started("r" + i, i), T0);
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(file()));
    lines.set(1, lines.get(1).replace("\"seed\":2", "\"seed\":7"));
    Files.write(file(), lines, StandardCharsets.UTF_8);
    List<String> problems = Ledger.read(file()).chainProblems();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("ledger line 3 (entry 3)"), problems.get(0));
  }

  @Test
  void aRemovedLineIsNamed() throws Exception {
    for (int i = 1; i <= 4; i++) {
      Ledger.append(file(), started("r" + i, i), T0);
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(file()));
    lines.remove(1);
    Files.write(file(), lines, StandardCharsets.UTF_8);
    List<String> problems = Ledger.read(file()).chainProblems();
    assertTrue(problems.stream().anyMatch(p -> p.contains("says it is entry 3")), problems.toString());
  }

  @Test
  void prefixComparisonFindsWhereTwoVersionsPart() throws Exception {
    Ledger.append(file(), started("r1", 1), T0);
    Ledger.append(file(), started("r2", 2), T0);
    Ledger earlier = Ledger.read(file());
    Ledger.append(file(), started("r3", 3), T0);
    Ledger later = Ledger.read(file());
    assertEquals(0, later.partsFrom(earlier));
    List<String> edited = new ArrayList<>(later.lines());
    edited.set(1, edited.get(1).replace("r2", "r9"));
    assertEquals(2, Ledger.parse(file(), edited).partsFrom(earlier));
    assertEquals(3, earlier.partsFrom(later));
  }

  @Test
  void concurrentAppendsKeepOneChain() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      long seed = i;
      done.add(pool.submit(() -> Ledger.append(file(), started("r" + seed, seed), T0)));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    Ledger ledger = Ledger.read(file());
    assertEquals(64, ledger.size());
    assertEquals(List.of(), ledger.chainProblems());
  }

  @Test
  void aLineThatIsNoEntryIsNamedWithItsPosition() throws Exception {
    Ledger.append(file(), started("r1", 1), T0);
    Files.writeString(file(), "{not json\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    LedgerException e = assertThrows(LedgerException.class, () -> Ledger.read(file()));
    assertTrue(e.getMessage().contains("ledger.jsonl:2:"), e.getMessage());
  }
}
