package io.salesync.headoffice.ui;

import io.salesync.headoffice.model.DailyTotal;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Color;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.swing.BorderFactory;
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
 * Total sales per branch per day for the current filter (XChart), one line per branch. The sums
 * come from the database; the chart only draws them.
 *
 * <p>XChart takes 100-200 ms to paint a chart of a few hundred points, too long for the event
 * thread while the window refreshes live, so the chart is drawn into an image on its own thread
 * ({@code ho-chart-render}) whenever the data, the size or the theme changes; the event thread only
 * copies the finished image. Over more than 120 days the days are summed into weeks, over more
 * than two years into months. Methods other than the renderer's run on the event thread.
 */
final class SalesChartPanel extends JPanel {

    private static final long serialVersionUID = 1L;

    /** How days are grouped into points. */
    enum Bucket {
        DAY("day"), WEEK("week"), MONTH("month");

        private final String label;

        Bucket(String label) {
            this.label = label;
        }

        LocalDate start(LocalDate day) {
            return switch (this) {
                case DAY -> day;
                case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> day.withDayOfMonth(1);
            };
        }

        static Bucket forSpan(List<DailyTotal> totals) {
            if (totals.isEmpty()) {
                return DAY;
            }
            long span = ChronoUnit.DAYS.between(totals.get(0).date(), totals.get(totals.size() - 1).date());
            return span > 730 ? MONTH : span > 120 ? WEEK : DAY;
        }
    }

    /** Colours read from the look and feel on the event thread, used by the renderer. */
    private record Colours(Color background, Color plot, Color text, Color grid) {

        static Colours current() {
            return new Colours(colour("Panel.background", Color.WHITE), colour("Table.background", Color.WHITE),
                    colour("Label.foreground", Color.BLACK), colour("Separator.foreground", Color.LIGHT_GRAY));
        }
    }

    private final CardLayout cards = new CardLayout();
    private final JPanel body = new JPanel(cards);
    private final Canvas canvas = new Canvas();
    private final JLabel empty = new JLabel("No sales match the filter.", SwingConstants.CENTER);
    private final JLabel title = new JLabel("Total sales per branch per day");
    private final transient ExecutorService renderer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "ho-chart-render");
        thread.setDaemon(true);
        return thread;
    });
    private transient List<DailyTotal> shown = List.of();
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
        title.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
        add(title, BorderLayout.NORTH);
        add(body, BorderLayout.CENTER);
        cards.show(body, "empty");
        canvas.addComponentListener(new ComponentAdapter() {
            @Override
            public void componentResized(ComponentEvent event) {
                render();
            }
        });
    }

    /** Shows new daily totals; does nothing when they did not change (no flicker on live refresh). */
    void show(List<DailyTotal> totals) {
        if (totals.equals(shown)) {
            return;
        }
        shown = List.copyOf(totals);
        title.setText("Total sales per branch per " + Bucket.forSpan(shown).label);
        cards.show(body, shown.isEmpty() ? "empty" : "chart");
        render();
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
        Colours colours = Colours.current();
        renderer.execute(() -> {
            BufferedImage image = null;
            try {
                image = draw(data, colours, width, height);
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

    /** Builds and paints an XChart; runs on the renderer thread and touches no Swing component. */
    static BufferedImage draw(List<DailyTotal> totals, Colours colours, int width, int height) {
        Bucket bucket = Bucket.forSpan(totals);
        XYChart chart = new XYChartBuilder().width(width).height(height).xAxisTitle("").yAxisTitle("Total").build();
        XYStyler styler = chart.getStyler();
        styler.setDatePattern(bucket == Bucket.MONTH ? "MMM yyyy" : "MMM d");
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
        Map<String, TreeMap<LocalDate, BigDecimal>> byBranch = new TreeMap<>();
        for (DailyTotal total : totals) {
            byBranch.computeIfAbsent(total.branchId(), id -> new TreeMap<>())
                    .merge(bucket.start(total.date()), total.total(), BigDecimal::add);
        }
        int points = byBranch.values().stream().mapToInt(Map::size).sum();
        styler.setMarkerSize(points <= 400 ? 5 : 0);
        for (Map.Entry<String, TreeMap<LocalDate, BigDecimal>> branch : byBranch.entrySet()) {
            List<Date> days = new ArrayList<>();
            List<BigDecimal> sums = new ArrayList<>();
            branch.getValue().forEach((day, sum) -> {
                days.add(Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant()));
                sums.add(sum);
            });
            XYSeries series = chart.addSeries(branch.getKey(), days, sums);
            series.setMarker(SeriesMarkers.CIRCLE);
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
