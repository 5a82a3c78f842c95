package io.github.researchcycle.core.publish;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** research.copyTo never names a folder whose replacement would lose anything but an earlier copy. */
class KeepFolderTest {
  @TempDir Path root;

  @Test
  void refusesFoldersThatHoldOtherThings() throws Exception {
    Files.createDirectories(root.resolve(".git"));
    write(root, "writeup/journal.md", "notes\n");
    write(root, "README.md", "# r\n");
    write(root, "notes/ideas.md", "keep me\n");
    for (String bad : new String[] {".git", ".", "", "..", "../elsewhere", "runs", "runs/x", "target", "src/main",
        "experiments", "launch", "data", "writeup", "README.md", "notes"}) {
      ResearchException e = assertThrows(ResearchException.class, () -> PublishService.keepFolder(root, bad), bad);
      assertTrue(e.getMessage().startsWith("research.copyTo must be a new folder"), e.getMessage());
    }
    assertTrue(Files.exists(root.resolve("notes/ideas.md")));
  }

  @Test
  void acceptsANewFolderOrAnEarlierCopy() throws Exception {
    assertEquals(root.resolve("writeup/published"), PublishService.keepFolder(root, "writeup/published"));
    write(root, "writeup/published/post.md", "old\n");
    write(root, "writeup/published/figures/a.svg", "<svg/>\n");
    assertEquals(root.resolve("writeup/published"), PublishService.keepFolder(root, "writeup/published"));
  }
}
