package io.github.researchcycle.core.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page of a real publish, opened by headless Chromium from a file: it loads without
 * script errors and shows the figures (the screenshot has the plot colours of both series).
 */
class ReportBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final int WIDTH = 1000;
  static final int HEIGHT = 2600;
  /** The figures' first two palette colours: blue (series 1, the points) and vermillion (series 2, the reference). */
  static final int BLUE = 0x0072B2;
  static final int ORANGE = 0xD55E00;

  @TempDir Path dir;
  @TempDir Path browser;

  @Test
  void reportRendersWithItsFigures() throws Exception {
    Path html;
    PublishFixture f = PublishFixture.create(dir);
    try {
      html = f.publishReady().dir().resolve("report.html");
    } finally {
      f.git.close();
    }
    assertTrue(Files.isRegularFile(html));
    if (!Files.isExecutable(CHROMIUM)) {
      Assumptions.abort("chromium not installed (CI installs it)");
    }

    Path png = browser.resolve("report.png");
    Path profile = Files.createDirectories(browser.resolve("profile"));
    Path stdout = browser.resolve("stdout.txt");
    Path stderr = browser.resolve("stderr.txt");
    List<String> command = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
        "--window-size=" + WIDTH + "," + HEIGHT, "--screenshot=" + png, html.toUri().toString());
    Process p = new ProcessBuilder(command).directory(browser.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("chromium did not end within 60 s; stderr:\n" + read(stderr));
    }
    String err = read(stderr);
    assertEquals(0, p.exitValue(), () -> "chromium failed; stderr:\n" + err);

    // The page has no script, so it should log nothing at all. Chromium logs console.error(...) as
    // "INFO:CONSOLE:1] "message"" (the word "error" appears only if the message has it), so every CONSOLE
    // line counts, not only those that say error; the D-Bus and GPU noise of a headless container does not.
    List<String> errors = err.lines()
        .filter(l -> l.contains("Uncaught") || l.toUpperCase(Locale.ROOT).contains("CONSOLE")).toList();
    assertEquals(List.of(), errors, "console messages of the page");

    assertTrue(Files.isRegularFile(png), () -> "no screenshot; stderr:\n" + err);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "the screenshot decodes as PNG");
    String keep = System.getProperty("research.test.screenshot"); // to look at it: -Dresearch.test.screenshot=FILE
    if (keep != null && !keep.isBlank()) {
      Files.copy(png, Path.of(keep), StandardCopyOption.REPLACE_EXISTING);
    }
    assertEquals(WIDTH, image.getWidth());
    assertEquals(HEIGHT, image.getHeight());

    long nonWhite = 0;
    long blue = 0;
    long orange = 0;
    int orangeBands = 0; // runs of rows with orange pixels, separated by at least 50 rows without
    int lastOrangeRow = -1000;
    for (int y = 0; y < image.getHeight(); y++) {
      boolean orangeRow = false;
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        int r = rgb >> 16;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (r < 240 || g < 240 || b < 240) {
          nonWhite++;
        }
        if (near(rgb, BLUE)) {
          blue++;
        }
        if (near(rgb, ORANGE)) {
          orange++;
          orangeRow = true;
        }
      }
      if (orangeRow) {
        orangeBands += y - lastOrangeRow > 50 ? 1 : 0;
        lastOrangeRow = y;
      }
    }
    double share = (double) nonWhite / (image.getWidth() * image.getHeight());
    String counts = String.format(Locale.ROOT, "non-white %.2f %%, blue %d px, orange %d px in %d bands", 100 * share,
        blue, orange, orangeBands);
    System.out.println("ReportBrowserTest: " + counts);
    // A blank or failed render is (nearly) all white; this page's text and tables alone come to about 4 %, the
    // figures add about 2 %. Their colours are what proves them: nothing else on the page is blue or orange.
    assertTrue(share > 0.03, "not mostly white: " + counts);
    assertTrue(share < 0.60, "a page, not a dark or garbled screenshot: " + counts);
    assertTrue(blue > 300, "the blue series (per-seed points, the baseline curve) is drawn: " + counts);
    assertTrue(orange > 300, "the orange series (baseline-mean reference, the method curve) is drawn: " + counts);
    assertTrue(orangeBands >= 2, "both figures are drawn (each has orange, one below the other): " + counts);
  }

  /** Whether two colours are within a small distance (anti-aliasing blends edges with white). */
  static boolean near(int rgb, int colour) {
    int dr = (rgb >> 16) - (colour >> 16);
    int dg = ((rgb >> 8) & 0xFF) - ((colour >> 8) & 0xFF);
    int db = (rgb & 0xFF) - (colour & 0xFF);
    return dr * dr + dg * dg + db * db < 40 * 40;
  }

  static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
