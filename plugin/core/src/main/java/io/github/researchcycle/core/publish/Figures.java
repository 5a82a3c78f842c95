package io.github.researchcycle.core.publish;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.NumberTickUnitSource;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.TickUnit;
import org.jfree.chart.axis.TickUnitSource;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;
import org.jfree.svg.ViewBox;

/**
 * The figures of a writeup: learning curves and per-seed results, each written as a standalone SVG
 * document and a PNG of the same chart (800x480).
 *
 * <p>Output is deterministic: the same input gives byte-identical files on the same machine (the
 * SVG's ids derive from the figure's name, never from a clock). Rendering is headless and uses only
 * the logical font {@code SansSerif}. Non-finite values (NaN, infinities) are never plotted and never
 * throw: they are counted in a note under the title, and a chart without any finite value shows a
 * "No data" message.
 */
public final class Figures {

    static {
        // Before anything touches AWT: a Maven or CI JVM has no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // JFreeChart's default draws rotated text (the y-axis label) as a TextLayout, which an SVG
        // graphics can only write as glyph outlines; plain rotated drawString stays <text> in the
        // SVG (searchable, selectable, escaped like every other label) and looks the same in the PNG.
        // A JVM-wide JFreeChart setting: nothing else in this project draws charts.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    /** One line of a chart: label, x values, y values (same length). */
    public record Series(String label, double[] x, double[] y) {}

    /** A figure written as NAME.svg and NAME.png in a folder. */
    public record Figure(String name, String title, Path svg, Path png) {}

    /** Width of every figure, in pixels (PNG) and user units (SVG). */
    static final int WIDTH = 800;
    /** Height of every figure, in pixels (PNG) and user units (SVG). */
    static final int HEIGHT = 480;

    /** Above this many finite points a line is drawn without point markers. */
    private static final int MAX_POINTS_WITH_MARKERS = 40;

    private static final String FONT = Font.SANS_SERIF;
    private static final String NO_DATA = "No data";

    /** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
    };
    private static final Color GRID = new Color(0xDDDDDD);
    private static final Color NOTE = new Color(0x555555);

    private Figures() {}

    /**
     * A line chart (learning curves): one line per series; x and y axis labels; legend when more than
     * one series. Writes dir/NAME.svg and dir/NAME.png (800x480).
     *
     * <p>Points whose x or y is not finite are left out (a NaN y breaks the line there); a series
     * without a finite point stays in the legend and is named in a note. Duplicate labels get a
     * suffix, since a legend entry must say which line it is.
     *
     * @throws IllegalArgumentException if a series has x and y of different lengths, or the name is
     *     not a plain file name
     */
    public static Figure lines(Path dir, String name, String title, String xLabel, String yLabel,
            List<Series> series) throws IOException {
        return lines(dir, name, title, xLabel, yLabel, series, false);
    }

    /**
     * As {@link #lines(Path, String, String, String, String, List)}, with a logarithmic x axis when
     * {@code logX} (learning rates); points with x &le; 0 are then left out.
     */
    public static Figure lines(Path dir, String name, String title, String xLabel, String yLabel,
            List<Series> series, boolean logX) throws IOException {
        checkName(name);
        Objects.requireNonNull(dir, "dir");
        List<Series> input = series == null ? List.of() : series;
        for (int i = 0; i < input.size(); i++) {
            Series s = input.get(i);
            if (s == null) {
                throw new IllegalArgumentException("series " + i + " is null");
            }
            int nx = s.x() == null ? 0 : s.x().length;
            int ny = s.y() == null ? 0 : s.y().length;
            if (nx != ny) {
                throw new IllegalArgumentException("series " + i + " (" + s.label() + "): " + nx
                        + " x values but " + ny + " y values");
            }
        }
        return write(dir, name, title, text -> linesChart(text, title, xLabel, yLabel, input, logX));
    }

    /**
     * Per-seed results: for each group (experiment name -> values, one per seed, in insertion order)
     * the individual values as points and the mean as a short horizontal bar, groups side by side on
     * the x axis; optional horizontal reference lines (label -> y, e.g. "paper 0.871", "baseline
     * mean"). Writes SVG and PNG.
     *
     * <p>The mean is over the finite values of a group; non-finite values and references are left out
     * and counted in a note.
     *
     * @throws IllegalArgumentException if the name is not a plain file name
     */
    public static Figure perSeed(Path dir, String name, String title, String yLabel,
            Map<String, double[]> groups, Map<String, Double> references) throws IOException {
        checkName(name);
        Objects.requireNonNull(dir, "dir");
        Map<String, double[]> g = groups == null ? Map.of() : groups;
        Map<String, Double> r = references == null ? Map.of() : references;
        return write(dir, name, title, text -> perSeedChart(text, title, yLabel, g, r));
    }

    // ---------------------------------------------------------------------------------- charts

    private static JFreeChart linesChart(UnaryOperator<String> text, String title, String xLabel,
            String yLabel, List<Series> input, boolean logX) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        List<String> empty = new ArrayList<>();
        List<Integer> pointCounts = new ArrayList<>();
        int skipped = 0;
        boolean integralX = true;
        List<String> keys = uniqueLabels(input);
        for (int i = 0; i < input.size(); i++) {
            Series s = input.get(i);
            String key = text.apply(keys.get(i));
            XYSeries xy = new XYSeries(key, true, true);
            double[] xs = s.x() == null ? new double[0] : s.x();
            double[] ys = s.y() == null ? new double[0] : s.y();
            int finite = 0;
            for (int j = 0; j < xs.length; j++) {
                double x = xs[j];
                double y = ys[j];
                if (!Double.isFinite(x) || (logX && x <= 0)) {
                    skipped++;
                    continue;
                }
                if (!Double.isFinite(y)) {
                    skipped++;
                    xy.add(x, Double.NaN); // a gap in the line, not a jump across it
                    continue;
                }
                finite++;
                integralX &= x == Math.rint(x);
                xy.add(x, y);
            }
            if (finite == 0) {
                xy.clear(); // nothing to draw: keep the legend entry, let "No data" show if all are so
                empty.add(keys.get(i));
            }
            pointCounts.add(finite);
            dataset.addSeries(xy);
        }

        org.jfree.chart.axis.ValueAxis xAxis;
        if (logX) {
            org.jfree.chart.axis.LogAxis log = new org.jfree.chart.axis.LogAxis(text.apply(clean(xLabel)));
            log.setNumberFormatOverride(new DecimalFormat("0.#E0",
                    DecimalFormatSymbols.getInstance(Locale.ROOT)));
            log.setSmallestValue(1e-12);
            xAxis = log;
        } else {
            NumberAxis plain = new NumberAxis(text.apply(clean(xLabel)));
            plain.setAutoRangeIncludesZero(false);
            plain.setStandardTickUnits(new PlainTickUnits(integralX));
            xAxis = plain;
        }
        NumberAxis yAxis = new NumberAxis(text.apply(clean(yLabel)));
        yAxis.setAutoRangeIncludesZero(false);
        yAxis.setStandardTickUnits(new PlainTickUnits(false));

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDrawSeriesLineAsPath(false); // NaN breaks the line
        for (int i = 0; i < pointCounts.size(); i++) {
            renderer.setSeriesShapesVisible(i, pointCounts.get(i) <= MAX_POINTS_WITH_MARKERS);
        }
        XYPlot plot = new XYPlot(dataset, xAxis, yAxis, renderer);

        JFreeChart chart = chart(text, title, plot, input.size() > 1);
        List<String> notes = new ArrayList<>();
        if (!empty.isEmpty() && empty.size() < input.size()) {
            notes.add("no finite values: " + quoted(empty));
        }
        if (skipped > 0) {
            notes.add(skipped + (skipped == 1 ? " non-finite value" : " non-finite values")
                    + " not plotted");
        }
        note(chart, text, notes);
        return chart;
    }

    private static JFreeChart perSeedChart(UnaryOperator<String> text, String title, String yLabel,
            Map<String, double[]> groups, Map<String, Double> references) {
        List<String> names = new ArrayList<>();
        for (String key : groups.keySet()) {
            names.add(clean(key));
        }
        XYSeries points = new XYSeries("values", false, true);
        List<double[]> means = new ArrayList<>(); // {x, mean}
        List<String> empty = new ArrayList<>();
        int skipped = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int index = 0;
        for (double[] values : groups.values()) {
            double[] v = values == null ? new double[0] : values;
            int finite = 0;
            for (double d : v) {
                if (Double.isFinite(d)) {
                    finite++;
                }
            }
            skipped += v.length - finite;
            if (finite == 0) {
                empty.add(names.get(index));
            } else {
                double sum = 0;
                int k = 0;
                for (double d : v) {
                    if (!Double.isFinite(d)) {
                        continue;
                    }
                    // Seeds side by side, in insertion order, spread evenly: deterministic, no jitter.
                    double offset = finite == 1 ? 0 : -0.12 + 0.24 * k / (finite - 1);
                    points.add(index + offset, d);
                    sum += d;
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                    k++;
                }
                means.add(new double[] {index, sum / finite});
            }
            index++;
        }
        boolean anyData = !points.isEmpty();

        Map<String, Double> refs = new LinkedHashMap<>();
        int skippedRefs = 0;
        for (Map.Entry<String, Double> e : references.entrySet()) {
            Double y = e.getValue();
            if (y == null || !Double.isFinite(y)) {
                skippedRefs++;
                continue;
            }
            refs.put(clean(e.getKey()), y);
            if (anyData) {
                lo = Math.min(lo, y);
                hi = Math.max(hi, y);
            }
        }

        XYSeriesCollection dataset = new XYSeriesCollection();
        if (anyData) {
            dataset.addSeries(points);
        }
        ValueAxis xAxis;
        if (names.isEmpty()) {
            NumberAxis none = new NumberAxis(null);
            none.setTickLabelsVisible(false);
            none.setTickMarksVisible(false);
            xAxis = none;
        } else {
            String[] symbols = names.stream().map(text).toArray(String[]::new);
            SymbolAxis symbolAxis = new SymbolAxis(null, symbols);
            symbolAxis.setGridBandsVisible(false);
            int longest = names.stream().mapToInt(String::length).max().orElse(0);
            // roughly 7 px per character at the tick label font, against the room each group has
            symbolAxis.setVerticalTickLabels(longest * 7.0 > 0.9 * (WIDTH - 100) / names.size());
            symbolAxis.setAutoRange(false);
            symbolAxis.setRange(-0.5, names.size() - 0.5);
            xAxis = symbolAxis;
        }
        NumberAxis yAxis = new NumberAxis(text.apply(clean(yLabel)));
        yAxis.setStandardTickUnits(new PlainTickUnits(false));
        yAxis.setAutoRangeIncludesZero(false);
        if (anyData) {
            double span = hi - lo;
            double pad = span > 0 ? 0.1 * span : Math.max(Math.abs(hi) * 0.05, 0.05);
            yAxis.setAutoRange(false);
            yAxis.setRange(lo - pad, hi + pad);
        }

        Color pointColor = PALETTE[0];
        Shape dot = new Ellipse2D.Double(-4, -4, 8, 8);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setSeriesShape(0, dot);
        renderer.setSeriesPaint(0, pointColor);
        renderer.setUseFillPaint(true);
        renderer.setSeriesFillPaint(0, withAlpha(pointColor, 150));
        renderer.setUseOutlinePaint(true);
        renderer.setSeriesOutlinePaint(0, pointColor);
        renderer.setDrawOutlines(true);
        XYPlot plot = new XYPlot(dataset, xAxis, yAxis, renderer);

        Stroke meanStroke = new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
        for (double[] m : means) {
            plot.addAnnotation(new XYLineAnnotation(m[0] - 0.22, m[1], m[0] + 0.22, m[1], meanStroke,
                    Color.BLACK));
        }

        LegendItemCollection legend = new LegendItemCollection();
        Shape line = new Line2D.Double(-9, 0, 9, 0);
        if (anyData) {
            legend.add(new LegendItem(text.apply("value per seed"), null, null, null, true, dot, true,
                    withAlpha(pointColor, 150), true, pointColor, new BasicStroke(1f), false, line,
                    new BasicStroke(1f), pointColor));
            legend.add(new LegendItem(text.apply("mean"), null, null, null, false, dot, false,
                    Color.BLACK, false, Color.BLACK, new BasicStroke(1f), true, line, meanStroke,
                    Color.BLACK));
            int r = 0;
            for (Map.Entry<String, Double> e : refs.entrySet()) {
                Color c = PALETTE[1 + r % (PALETTE.length - 1)];
                Stroke dashed = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                        10f, dashes(r), 0f);
                ValueMarker marker = new ValueMarker(e.getValue(), c, dashed);
                plot.addRangeMarker(marker);
                legend.add(new LegendItem(text.apply(e.getKey()), null, null, null, false, dot, false,
                        c, false, c, dashed, true, line, dashed, c));
                r++;
            }
        }
        plot.setFixedLegendItems(legend);

        JFreeChart chart = chart(text, title, plot, anyData);
        List<String> notes = new ArrayList<>();
        if (anyData && !empty.isEmpty()) {
            notes.add("no finite values: " + quoted(empty));
        }
        if (skipped > 0) {
            notes.add(skipped + (skipped == 1 ? " non-finite value" : " non-finite values")
                    + " not plotted");
        }
        if (skippedRefs > 0) {
            notes.add(skippedRefs + (skippedRefs == 1 ? " reference" : " references")
                    + " without a finite value not drawn");
        }
        note(chart, text, notes);
        return chart;
    }

    /** The chart around a plot, with the project's look: SansSerif, white, light grid. */
    private static JFreeChart chart(UnaryOperator<String> text, String title, XYPlot plot,
            boolean legend) {
        plot.setNoDataMessage(text.apply(NO_DATA));
        String t = clean(title);
        JFreeChart chart = new JFreeChart(t.isBlank() ? null : text.apply(t),
                new Font(FONT, Font.BOLD, 18), plot, legend);
        theme().apply(chart);
        plot.setNoDataMessageFont(new Font(FONT, Font.PLAIN, 16));
        plot.setNoDataMessagePaint(NOTE);
        plot.setDomainGridlinesVisible(true);
        plot.setRangeGridlinesVisible(true);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setOutlinePaint(Color.GRAY);
        LegendTitle legendTitle = chart.getLegend();
        if (legendTitle != null) {
            legendTitle.setPosition(RectangleEdge.BOTTOM);
            legendTitle.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        chart.setPadding(new RectangleInsets(6, 6, 6, 12));
        if (DatasetUtils.isEmptyOrNull(plot.getDataset())) {
            // An empty chart shows "No data", not invented ticks (group names stay).
            plot.setDomainGridlinesVisible(false);
            plot.setRangeGridlinesVisible(false);
            for (ValueAxis axis : List.of(plot.getDomainAxis(), plot.getRangeAxis())) {
                if (!(axis instanceof SymbolAxis)) {
                    axis.setTickLabelsVisible(false);
                    axis.setTickMarksVisible(false);
                }
            }
        }
        return chart;
    }

    private static StandardChartTheme theme() {
        StandardChartTheme theme = new StandardChartTheme("research-cycle");
        theme.setExtraLargeFont(new Font(FONT, Font.BOLD, 18));
        theme.setLargeFont(new Font(FONT, Font.PLAIN, 14));
        theme.setRegularFont(new Font(FONT, Font.PLAIN, 12));
        theme.setSmallFont(new Font(FONT, Font.PLAIN, 11));
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setLegendBackgroundPaint(Color.WHITE);
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setPlotOutlinePaint(Color.GRAY);
        theme.setDomainGridlinePaint(GRID);
        theme.setRangeGridlinePaint(GRID);
        theme.setAxisOffset(RectangleInsets.ZERO_INSETS);
        theme.setShadowVisible(false);
        theme.setDrawingSupplier(new DefaultDrawingSupplier(
                PALETTE,
                PALETTE,
                DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE,
                new Stroke[] {new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)},
                DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE,
                DefaultDrawingSupplier.createStandardSeriesShapes()));
        return theme;
    }

    private static void note(JFreeChart chart, UnaryOperator<String> text, List<String> notes) {
        if (notes.isEmpty()) {
            return;
        }
        TextTitle note = new TextTitle(text.apply(String.join("; ", notes)),
                new Font(FONT, Font.ITALIC, 11));
        note.setPaint(NOTE);
        note.setPosition(RectangleEdge.TOP);
        chart.addSubtitle(note);
    }

    // ---------------------------------------------------------------------------------- output

    /** Builds the chart (once per format) and writes NAME.svg and NAME.png. */
    private static Figure write(Path dir, String name, String title,
            Function<UnaryOperator<String>, JFreeChart> build) throws IOException {
        Files.createDirectories(dir);
        Path svg = dir.resolve(name + ".svg");
        Path png = dir.resolve(name + ".png");

        // JFreeSVG keeps "&lt;", "&amp;" … that are already in a string as entities; so that such a
        // label is shown as typed, the SVG's chart gets those ampersands escaped beforehand.
        JFreeChart forSvg = build.apply(Figures::protectEntities);
        Files.write(svg, svgDocument(forSvg, name).getBytes(StandardCharsets.UTF_8));

        JFreeChart forPng = build.apply(UnaryOperator.identity());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(bytes, forPng, WIDTH, HEIGHT);
        Files.write(png, bytes.toByteArray());

        return new Figure(name, title, svg, png);
    }

    /** A standalone SVG document: XML declaration, namespaces, width, height and viewBox. */
    static String svgDocument(JFreeChart chart, String name) {
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
        String id = "figure-" + idPart(name);
        // The default prefix is a clock reading; a fixed one (unique per figure, so that several
        // figures can be inlined in one page) makes the output reproducible.
        g2.setDefsKeyPrefix(id + "-");
        g2.setGeomDoubleConverter(SVGUtils.createDoubleConverter(2));
        g2.setTransformDoubleConverter(SVGUtils.createDoubleConverter(4));
        chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
        String element = g2.getSVGElement(id, true, new ViewBox(0, 0, WIDTH, HEIGHT), null, null);
        g2.dispose();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element + "\n";
    }

    // ---------------------------------------------------------------------------------- text

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == '\\' || c == ':' || c < 0x20)) {
            throw new IllegalArgumentException("not a plain file name for a figure: " + name);
        }
    }

    /** Letters, digits, '-' and '_' of the name; anything else becomes '_'. */
    private static String idPart(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }

    /**
     * Text that XML 1.0 can carry: control characters become spaces, lone surrogates and
     * non-characters become U+FFFD; null becomes "".
     */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                sb.append('\uFFFD');
            } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                sb.append(' ');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Escapes an '&' that would otherwise be taken by JFreeSVG as the start of an entity. */
    private static String protectEntities(String s) {
        if (s == null || s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '&' && (s.startsWith("&lt;", i) || s.startsWith("&gt;", i)
                    || s.startsWith("&amp;", i) || s.startsWith("&apos;", i)
                    || s.startsWith("&quot;", i))) {
                sb.append("&amp;");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Series labels, cleaned, blank ones named by position, duplicates numbered. */
    private static List<String> uniqueLabels(List<Series> series) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            String label = clean(series.get(i).label());
            if (label.isBlank()) {
                label = "series " + (i + 1);
            }
            String unique = label;
            for (int n = 2; labels.contains(unique); n++) {
                unique = label + " (" + n + ")";
            }
            labels.add(unique);
        }
        return labels;
    }

    private static String quoted(List<String> labels) {
        StringBuilder sb = new StringBuilder();
        for (String l : labels) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append('\u201C').append(l).append('\u201D');
        }
        return sb.toString();
    }

    private static float[] dashes(int i) {
        switch (i % 3) {
            case 0:
                return new float[] {8f, 5f};
            case 1:
                return new float[] {3f, 4f};
            default:
                return new float[] {10f, 4f, 3f, 4f};
        }
    }

    private static Paint withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    // ---------------------------------------------------------------------------------- numbers

    /**
     * JFreeChart's tick sizes with locale-independent labels: "0.25", "1000", never "0,25" or
     * "0.30000000000000004", and "0" rather than "5.5E-17" for a tick at zero.
     */
    private static final class PlainTickUnits implements TickUnitSource, Serializable {
        private final NumberTickUnitSource delegate;

        PlainTickUnits(boolean integers) {
            this.delegate = new NumberTickUnitSource(integers);
        }

        @Override
        public TickUnit getLargerTickUnit(TickUnit unit) {
            return plain(delegate.getLargerTickUnit(unit));
        }

        @Override
        public TickUnit getCeilingTickUnit(TickUnit unit) {
            return plain(delegate.getCeilingTickUnit(unit));
        }

        @Override
        public TickUnit getCeilingTickUnit(double size) {
            return plain(delegate.getCeilingTickUnit(size));
        }

        private static TickUnit plain(TickUnit unit) {
            return new NumberTickUnit(unit.getSize(), new PlainNumberFormat(unit.getSize()),
                    unit.getMinorTickCount());
        }
    }

    /** Formats tick values as plain decimals with as many places as the tick size needs. */
    static final class PlainNumberFormat extends NumberFormat {
        private final double step;
        private final int scale;

        PlainNumberFormat(double step) {
            this.step = Math.abs(step);
            int s = 0;
            if (this.step > 0 && Double.isFinite(this.step)) {
                s = new BigDecimal(this.step).round(new MathContext(6)).stripTrailingZeros().scale();
            }
            this.scale = Math.max(0, s);
        }

        @Override
        public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
            if (!Double.isFinite(v)) {
                return to.append(Double.isNaN(v) ? "NaN" : v > 0 ? "\u221E" : "-\u221E");
            }
            if (Math.abs(v) < step * 1e-6 || v == 0) {
                return to.append('0');
            }
            return to.append(new BigDecimal(v).setScale(scale, RoundingMode.HALF_EVEN)
                    .toPlainString());
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
            return to.append(v);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            try {
                double d = Double.parseDouble(source.substring(pos.getIndex()).trim());
                pos.setIndex(source.length());
                return d;
            } catch (NumberFormatException e) {
                pos.setErrorIndex(pos.getIndex());
                return null;
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PlainNumberFormat p && p.step == step;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(step);
        }
    }
}
