package io.salesync.headoffice.ui;

import io.salesync.desktop.WrapLayout;
import io.salesync.headoffice.model.ChartPlan;
import io.salesync.headoffice.model.DailyTotal;
import java.awt.BasicStroke;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingConstants;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Total sales per day for the current filter (XChart): one line per branch, or, with many branches,
 * the total of the filter plus a line per picked branch ({@link ChartPlan}); the legend names each
 * line. The sums come from the database; the chart only draws them.
 *
 * <p>XChart takes 100-200 ms to paint a chart of a few hundred points, too long for the event
 * thread while the window refreshes live, so the chart is drawn into an image on its own thread
 * ({@code ho-chart-render}) whenever the data, the size or the theme changes; the event thread only
 * copies the finished image. Over more than 120 days the days are summed into weeks, over more
 * than two years into months. Methods other than the renderer's run on the event thread.
 */
final class SalesChartPanel extends JPanel {

    private static final long serialVersionUID = 1L;

    /** Colours read from the look and feel on the event thread, used by the renderer. */
    private record Colours(Color background, Color plot, Color text, Color grid) {

        static Colours current() {
            return new Colours(
                    colour("Panel.background", Color.WHITE),
                    colour("Table.background", Color.WHITE),
                    colour("Label.foreground", Color.BLACK),
                    colour("Separator.foreground", Color.LIGHT_GRAY));
        }
    }

    private final CardLayout cards = new CardLayout();
    private final JPanel body = new JPanel(cards);
    private final Canvas canvas = new Canvas();
    private final JLabel empty = new JLabel("No sales match the filter.", SwingConstants.CENTER);
    private final JLabel title = new JLabel("Total sales per branch per day");
    private final JLabel partialNote = new JLabel();
    private final JLabel hint = new JLabel();
    private final transient ExecutorService renderer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "ho-chart-render");
        thread.setDaemon(true);
        return thread;
    });
    private transient List<DailyTotal> shown = List.of();
    private transient ChartPlan plan = ChartPlan.of(0, Set.of());
    private boolean rendering;
    private boolean renderAgain;

    SalesChartPanel() {
        super(new BorderLayout());
        setName("chartPanel");
        canvas.setName("salesChart");
        empty.setName("chartEmpty");
        body.add(canvas, "chart");
        body.add(empty, "empty");
        title.putClientProperty("FlatLaf.styleClass", "h4");
        partialNote.setName("chartNote");
        partialNote.putClientProperty("FlatLaf.styleClass", "small");
        hint.setName("chartHint");
        hint.putClientProperty("FlatLaf.styleClass", "small");
        hint.setVisible(false);
        // the note goes under the title when the panel is narrow, never cut
        JPanel heading = new JPanel(new WrapLayout(FlowLayout.LEADING, 8, 4));
        heading.add(title);
        heading.add(partialNote);
        heading.add(hint);
        add(heading, BorderLayout.NORTH);
        add(body, BorderLayout.CENTER);
        cards.show(body, "empty");
        canvas.addComponentListener(new ComponentAdapter() {
            @Override
            public void componentResized(ComponentEvent event) {
                render();
            }
        });
    }

    /**
     * Shows new daily totals (a null branch id is the plan's total line); does nothing when they did
     * not change (no flicker on live refresh).
     */
    void show(List<DailyTotal> totals, ChartPlan drawn) {
        if (totals.equals(shown) && drawn.equals(plan)) {
            return;
        }
        shown = List.copyOf(totals);
        plan = drawn;
        ChartLines.Bucket bucket = ChartLines.Bucket.forSpan(shown);
        boolean partial = !shown.isEmpty() && ChartLines.hasCurrentPeriod(shown, bucket, LocalDate.now());
        title.setText(plan.title(bucket.label()));
        hint.setText(plan.hint() == null ? "" : "(" + plan.hint() + ")");
        hint.setVisible(plan.hint() != null);
        partialNote.setText(
                partial
                        ? "dashed: " + (bucket == ChartLines.Bucket.DAY ? "today" : "this " + bucket.label())
                                + " so far"
                        : "");
        partialNote.setVisible(partial);
        cards.show(body, shown.isEmpty() ? "empty" : "chart");
        render();
    }

    /** The names of the lines in the legend, in order, as the chart now shows them. */
    List<String> legend() {
        return List.copyOf(ChartLines.lines(shown, plan.totalLabel(), ChartLines.Bucket.forSpan(shown))
                .keySet());
    }

    @Override
    public void updateUI() {
        super.updateUI();
        if (canvas != null) {
            render();
        }
    }

    void close() {
        renderer.shutdownNow();
    }

    /** Draws the chart in the background at the canvas's size; one drawing at a time, the latest wins. */
    private void render() {
        int width = canvas.getWidth();
        int height = canvas.getHeight();
        if (shown.isEmpty() || width <= 0 || height <= 0 || renderer.isShutdown()) {
            return; // nothing to draw yet, or the window was closed (a theme change still reaches it)
        }
        if (rendering) {
            renderAgain = true;
            return;
        }
        rendering = true;
        List<DailyTotal> data = shown;
        String totalLabel = plan.totalLabel();
        Colours colours = Colours.current();
        renderer.execute(() -> {
            BufferedImage image = null;
            try {
                image = draw(data, totalLabel, colours, width, height, LocalDate.now());
            } finally {
                BufferedImage drawn = image;
                SwingUtilities.invokeLater(() -> {
                    rendering = false;
                    if (drawn != null) {
                        canvas.image = drawn;
                        canvas.repaint();
                    }
                    if (renderAgain) {
                        renderAgain = false;
                        render();
                    }
                });
            }
        });
    }

    /**
     * Line colours that stand out on the plot's background: deep tones on a light theme, light ones
     * on a dark theme (a navy line on dark grey cannot be seen).
     */
    static Color[] seriesColours(Color plot) {
        double luminance = (0.2126 * plot.getRed() + 0.7152 * plot.getGreen() + 0.0722 * plot.getBlue()) / 255;
        return luminance < 0.5
                ? new Color[] {
                    new Color(0x6CB4FF),
                    new Color(0xFFB054),
                    new Color(0x6DDB8A),
                    new Color(0xE49BEF),
                    new Color(0xFF8A80),
                    new Color(0x5CDDE3),
                    new Color(0xF2E06B),
                    new Color(0xB8B8FF)
                }
                : new Color[] {
                    new Color(0x1F5FBF),
                    new Color(0xB35900),
                    new Color(0x1E7D36),
                    new Color(0x8E2FA8),
                    new Color(0xB71C1C),
                    new Color(0x00737D),
                    new Color(0x7A5F00),
                    new Color(0x4040C0)
                };
    }

    /**
     * Builds and paints an XChart; runs on the renderer thread and touches no Swing component. The
     * chart of {@code totals} as of {@code today}: the period holding today is not over, so its
     * point is drawn hollow at the end of a dashed segment instead of as a fall of the line; a
     * single day still gets a date axis. The total line, when there is one, is drawn thicker in the
     * text's colour, which stands out on either theme.
     */
    static BufferedImage draw(
            List<DailyTotal> totals, String totalLabel, Colours colours, int width, int height, LocalDate today) {
        ChartLines.Bucket bucket = ChartLines.Bucket.forSpan(totals);
        XYChart chart = new XYChartBuilder()
                .width(width)
                .height(height)
                .xAxisTitle("")
                .yAxisTitle("Total")
                .build();
        XYStyler styler = chart.getStyler();
        styler.setDatePattern(bucket == ChartLines.Bucket.MONTH ? "MMM yyyy" : "MMM d");
        styler.setYAxisDecimalPattern("#,##0");
        styler.setTimezone(TimeZone.getTimeZone(ZoneOffset.UTC));
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setPlotBorderVisible(false);
        styler.setChartBackgroundColor(colours.background());
        styler.setPlotBackgroundColor(colours.plot());
        styler.setChartFontColor(colours.text());
        styler.setLegendBackgroundColor(colours.plot());
        styler.setLegendBorderColor(colours.grid());
        styler.setAxisTickLabelsColor(colours.text());
        styler.setAxisTickMarksColor(colours.grid());
        styler.setPlotGridLinesColor(colours.grid());
        Map<String, TreeMap<LocalDate, BigDecimal>> byBranch = ChartLines.lines(totals, totalLabel, bucket);
        boolean withTotal = totals.stream().anyMatch(daily -> daily.branchId() == null);
        int points = byBranch.values().stream().mapToInt(Map::size).sum();
        styler.setMarkerSize(points <= 400 ? 6 : 0);
        Color[] palette = seriesColours(colours.plot());
        styler.setSeriesColors(palette);
        LocalDate current = bucket.start(today);
        TreeSet<LocalDate> allDays = new TreeSet<>();
        int index = 0;
        for (Map.Entry<String, TreeMap<LocalDate, BigDecimal>> branch : byBranch.entrySet()) {
            boolean total = withTotal && index == 0;
            Color colour = total ? colours.text() : palette[(withTotal ? index - 1 : index) % palette.length];
            float stroke = total ? 3.5f : 2.5f;
            index++;
            TreeMap<LocalDate, BigDecimal> values = branch.getValue();
            allDays.addAll(values.keySet());
            // the period still running is not a fall: it ends the line as a dashed segment to a hollow point
            Map.Entry<LocalDate, BigDecimal> last = values.lastEntry();
            boolean partial = !last.getKey().isBefore(current);
            TreeMap<LocalDate, BigDecimal> complete = new TreeMap<>(values);
            if (partial && values.size() > 1) {
                complete.remove(last.getKey());
            }
            XYSeries series =
                    chart.addSeries(branch.getKey(), dates(complete.keySet()), List.copyOf(complete.values()));
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(colour);
            series.setMarkerColor(colour);
            series.setLineWidth(stroke);
            if (partial && values.size() > 1) {
                Map.Entry<LocalDate, BigDecimal> before = complete.lastEntry();
                XYSeries soFar = chart.addSeries(
                        branch.getKey() + " (so far)",
                        dates(List.of(before.getKey(), last.getKey())),
                        List.of(before.getValue(), last.getValue()));
                soFar.setShowInLegend(false);
                soFar.setLineColor(colour);
                soFar.setMarkerColor(colour);
                soFar.setMarker(SeriesMarkers.CIRCLE);
                soFar.setLineWidth(stroke);
                soFar.setLineStyle(new BasicStroke(
                        stroke, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 5f}, 0f));
            }
        }
        DoubleSummaryStatistics values = byBranch.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToDouble(BigDecimal::doubleValue)
                .summaryStatistics();
        if (values.getMin() == values.getMax()) {
            // one value alone (one day, one branch) has no range to scale: centre it with some room
            double value = values.getMax();
            double room = Math.max(1, Math.abs(value) * 0.2);
            styler.setYAxisMin(Math.max(0, value - room));
            styler.setYAxisMax(value + room);
        }
        if (allDays.size() == 1) {
            // one day alone has no span for XChart to put dates on: show the day between its neighbours
            LocalDate day = allDays.first();
            styler.setXAxisMin((double)
                    Date.from(day.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
                            .getTime());
            styler.setXAxisMax((double)
                    Date.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
                            .getTime());
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            chart.paint(g, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static List<Date> dates(Collection<LocalDate> days) {
        List<Date> dates = new ArrayList<>(days.size());
        for (LocalDate day : days) {
            dates.add(Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        return dates;
    }

    private static Color colour(String key, Color fallback) {
        Color colour = UIManager.getColor(key);
        return colour != null ? new Color(colour.getRGB(), true) : fallback;
    }

    /** Shows the last image drawn (stretched while a new size is being drawn). */
    private static final class Canvas extends JComponent {

        private static final long serialVersionUID = 1L;

        private transient BufferedImage image;

        @Override
        protected void paintComponent(Graphics g) {
            if (image != null) {
                g.drawImage(image, 0, 0, getWidth(), getHeight(), null);
            }
        }
    }
}
