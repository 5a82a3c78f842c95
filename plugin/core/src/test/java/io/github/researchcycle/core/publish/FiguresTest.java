package io.github.researchcycle.core.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.publish.Figures.Figure;
import io.github.researchcycle.core.publish.Figures.Series;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class FiguresTest {

    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final String SPECIAL = "a<b & \"c\" 'd' > é ü 日本 Ω &lt;x&gt; &amp;";

    @TempDir
    Path tmp;

    private static List<Series> curves() {
        double[] steps = {0, 100, 200, 300, 400, 500};
        return List.of(
                new Series("baseline", steps, new double[] {2.3, 1.2, 0.8, 0.6, 0.55, 0.5}),
                new Series("method", steps, new double[] {2.3, 1.0, 0.6, 0.45, 0.4, 0.38}));
    }

    private static Map<String, double[]> groups() {
        Map<String, double[]> groups = new LinkedHashMap<>();
        groups.put("baseline", new double[] {0.861, 0.866, 0.858});
        groups.put("method", new double[] {0.874, 0.879, 0.871});
        return groups;
    }

    private static Map<String, Double> references() {
        Map<String, Double> refs = new LinkedHashMap<>();
        refs.put("paper 0.871", 0.871);
        refs.put("baseline mean", 0.8617);
        return refs;
    }

    @Test
    void linesWritesSvgAndPng() throws Exception {
        Figure f = Figures.lines(tmp.resolve("figures"), "loss", "Training loss", "step", "loss",
                curves());
        assertEquals("loss", f.name());
        assertEquals("Training loss", f.title());
        assertEquals(tmp.resolve("figures/loss.svg"), f.svg());
        assertEquals(tmp.resolve("figures/loss.png"), f.png());
        assertPng(f.png());
        Document svg = parseSvg(f.svg());
        String text = svg.getDocumentElement().getTextContent();
        for (String s : List.of("baseline", "method", "Training loss", "step", "loss")) {
            assertTrue(text.contains(s), () -> "SVG text lacks " + s + ": " + text);
        }
    }

    @Test
    void svgIsAStandaloneDocument() throws Exception {
        Figure f = Figures.lines(tmp, "curve", "t", "x", "y", curves());
        String raw = Files.readString(f.svg(), StandardCharsets.UTF_8);
        assertTrue(raw.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), raw);
        assertFalse(raw.contains("<!DOCTYPE"), "no external DTD to fetch");
        Element root = parseSvg(f.svg()).getDocumentElement();
        assertEquals("800", root.getAttribute("width"));
        assertEquals("480", root.getAttribute("height"));
        assertEquals("0 0 800 480", root.getAttribute("viewBox"));
        assertTrue(raw.contains("font-family"), "text is text, in a named font family");
        assertFalse(raw.toLowerCase().contains("tahoma"), "only logical fonts");
    }

    @Test
    void sameInputGivesIdenticalBytes() throws Exception {
        Figure a = Figures.lines(tmp.resolve("a"), "loss", "Loss", "step", "loss", curves());
        Figure b = Figures.lines(tmp.resolve("b"), "loss", "Loss", "step", "loss", curves());
        assertArrayEquals(Files.readAllBytes(a.svg()), Files.readAllBytes(b.svg()));
        assertArrayEquals(Files.readAllBytes(a.png()), Files.readAllBytes(b.png()));

        Figure c = Figures.perSeed(tmp.resolve("a"), "seeds", "Accuracy", "accuracy", groups(),
                references());
        Figure d = Figures.perSeed(tmp.resolve("b"), "seeds", "Accuracy", "accuracy", groups(),
                references());
        byte[] svg = Files.readAllBytes(c.svg());
        assertArrayEquals(svg, Files.readAllBytes(d.svg()));
        assertArrayEquals(Files.readAllBytes(c.png()), Files.readAllBytes(d.png()));

        // every id is fixed and derived from the figure's name (the default would be a clock reading)
        String s = new String(svg, StandardCharsets.UTF_8);
        var ids = Pattern.compile("\\bid='([^']*)'").matcher(s);
        int n = 0;
        while (ids.find()) {
            assertTrue(ids.group(1).startsWith("figure-seeds"), ids.group(1));
            n++;
        }
        assertTrue(n > 1, "root id and clip path ids");
    }

    @Test
    void perSeedWritesPointsMeansAndReferences() throws Exception {
        Figure f = Figures.perSeed(tmp, "acc", "Test accuracy over seeds", "accuracy", groups(),
                references());
        assertPng(f.png());
        Document svg = parseSvg(f.svg());
        String text = svg.getDocumentElement().getTextContent();
        for (String s : List.of("baseline", "method", "paper 0.871", "baseline mean", "mean",
                "accuracy", "Test accuracy over seeds")) {
            assertTrue(text.contains(s), () -> "SVG text lacks " + s + ": " + text);
        }
    }

    @Test
    void specialCharactersSurvive() throws Exception {
        List<Series> series = List.of(
                new Series(SPECIAL, new double[] {1, 2, 3}, new double[] {1, 4, 9}),
                new Series("other", new double[] {1, 2, 3}, new double[] {2, 3, 4}));
        Figure f = Figures.lines(tmp, "special", "Title " + SPECIAL, "x " + SPECIAL,
                "y " + SPECIAL, series);
        String text = parseSvg(f.svg()).getDocumentElement().getTextContent();
        assertTrue(text.contains(SPECIAL), text);
        assertTrue(text.contains("Title " + SPECIAL), text);
        assertTrue(text.contains("x " + SPECIAL), text);
        assertTrue(text.contains("y " + SPECIAL), text);
        assertPng(f.png());

        Map<String, double[]> groups = new LinkedHashMap<>();
        groups.put(SPECIAL, new double[] {1, 2});
        groups.put("ctrl\u0001char", new double[] {3});
        Figure g = Figures.perSeed(tmp, "special-seeds", SPECIAL, SPECIAL, groups,
                Map.of("ref " + SPECIAL, 2.5));
        String t2 = parseSvg(g.svg()).getDocumentElement().getTextContent();
        assertTrue(t2.contains("ref " + SPECIAL), t2);
        assertTrue(t2.contains("ctrl char"), "control character replaced, document still parses");
    }

    @Test
    void emptyAndNonFiniteInputGiveAChartWithANote() throws Exception {
        Figure none = Figures.lines(tmp, "none", "Nothing yet", "step", "loss", List.of());
        assertPng(none.png());
        assertTrue(parseSvg(none.svg()).getDocumentElement().getTextContent().contains("No data"));

        Figure nulls = Figures.lines(tmp, "nulls", null, null, null, null);
        assertPng(nulls.png());
        parseSvg(nulls.svg());

        List<Series> nan = List.of(
                new Series("all nan", new double[] {1, 2}, new double[] {Double.NaN, Double.NaN}),
                new Series("empty", new double[0], new double[0]));
        Figure allNan = Figures.lines(tmp, "nan", "NaN", "x", "y", nan);
        String t = parseSvg(allNan.svg()).getDocumentElement().getTextContent();
        assertTrue(t.contains("No data"), t);
        assertTrue(t.contains("all nan") && t.contains("empty"), "still in the legend: " + t);

        List<Series> partly = List.of(
                new Series("gappy", new double[] {0, 1, 2, 3, Double.NaN},
                        new double[] {1, Double.NaN, Double.POSITIVE_INFINITY, 0.5, 2}),
                new Series("dead", new double[] {0, 1}, new double[] {Double.NaN, Double.NaN}),
                new Series("single", new double[] {2}, new double[] {0.7}));
        Figure p = Figures.lines(tmp, "partly", "Partly", "x", "y", partly);
        String tp = parseSvg(p.svg()).getDocumentElement().getTextContent();
        assertTrue(tp.contains("no finite values: \u201Cdead\u201D"), tp);
        assertTrue(tp.contains("5 non-finite values not plotted"), tp);
        assertPng(p.png());

        Figure emptyGroups = Figures.perSeed(tmp, "no-groups", "Nothing", "acc", Map.of(), null);
        assertTrue(parseSvg(emptyGroups.svg()).getDocumentElement().getTextContent()
                .contains("No data"));
        assertPng(emptyGroups.png());

        Map<String, double[]> groups = new LinkedHashMap<>();
        groups.put("ok", new double[] {0.5, Double.NaN, 0.6});
        groups.put("crashed", new double[] {Double.NaN});
        groups.put("not run", new double[0]);
        Map<String, Double> refs = new LinkedHashMap<>();
        refs.put("paper", Double.NaN);
        refs.put("target", 0.55);
        Figure g = Figures.perSeed(tmp, "gaps", "Gaps", "acc", groups, refs);
        String tg = parseSvg(g.svg()).getDocumentElement().getTextContent();
        assertTrue(tg.contains("crashed") && tg.contains("not run") && tg.contains("target"), tg);
        assertTrue(tg.contains("2 non-finite values not plotted"), tg);
        assertTrue(tg.contains("1 reference without a finite value not drawn"), tg);
        assertPng(g.png());

        Map<String, double[]> onlyNan = new LinkedHashMap<>();
        onlyNan.put("crashed", new double[] {Double.NaN, Double.NaN});
        Figure n = Figures.perSeed(tmp, "only-nan", "x", "y", onlyNan, Map.of("paper", 0.9));
        assertTrue(parseSvg(n.svg()).getDocumentElement().getTextContent().contains("No data"));
        assertPng(n.png());
    }

    @Test
    void duplicateLabelsAndIdenticalSeedsAreKeptApart() throws Exception {
        double[] x = {1, 2};
        Figure f = Figures.lines(tmp, "dups", "t", "x", "y",
                List.of(new Series("run", x, new double[] {1, 2}),
                        new Series("run", x, new double[] {2, 3})));
        String t = parseSvg(f.svg()).getDocumentElement().getTextContent();
        assertTrue(t.contains("run (2)"), t);

        Map<String, double[]> same = new LinkedHashMap<>();
        same.put("deterministic", new double[] {0.9, 0.9, 0.9});
        Figure g = Figures.perSeed(tmp, "same", "t", "acc", same, Map.of());
        assertPng(g.png());
        parseSvg(g.svg());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Figures.lines(tmp, "a/b", "t", "x", "y",
                List.of()));
        assertThrows(IllegalArgumentException.class, () -> Figures.lines(tmp, " ", "t", "x", "y",
                List.of()));
        assertThrows(IllegalArgumentException.class, () -> Figures.lines(tmp, "n", "t", "x", "y",
                List.of(new Series("s", new double[] {1, 2}, new double[] {1}))));
    }

    @Test
    void tickLabelsDoNotDependOnTheLocale() {
        Figures.PlainNumberFormat f = new Figures.PlainNumberFormat(0.05);
        assertEquals("0.35", f.format(0.35000000000000003));
        assertEquals("0", f.format(5.551115123125783E-17));
        assertEquals("-0.10", f.format(-0.1));
        assertEquals("1500", new Figures.PlainNumberFormat(500).format(1500.0));
        assertEquals("0.25", new Figures.PlainNumberFormat(0.25).format(0.25));
    }

    // ------------------------------------------------------------------------------------------

    private static void assertPng(Path png) throws Exception {
        assertTrue(Files.isRegularFile(png), png + " exists");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        assertNotNull(image, "PNG decodes");
        assertEquals(800, image.getWidth());
        assertEquals(480, image.getHeight());
    }

    private static Document parseSvg(Path svg) throws Exception {
        assertTrue(Files.isRegularFile(svg), svg + " exists");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        Document doc = builder.parse(svg.toFile());
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals(SVG_NS, root.getNamespaceURI());
        return doc;
    }
}
