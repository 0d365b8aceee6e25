package dev.posenc.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Builds the project's JFreeChart charts in one house style: white background, light grid, sans-serif fonts,
 * a colour-blind-safe series palette (Okabe–Ito), titles that say what is drawn and axis labels with units.
 */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision deficiencies. */
    static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0x999999)
    };
    private static final Color LABEL_BACKGROUND = new Color(255, 255, 255, 210);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Color GRID = new Color(0xdddddd);

    private Charts() {}

    /** A line chart builder: {@code Charts.lines(title, x, y).series(...).logY().build()}. */
    public static Lines lines(String title, String xLabel, String yLabel) {
        return new Lines(title, xLabel, yLabel);
    }

    /**
     * A heatmap of {@code z[row][col]}: column {@code c} is drawn at {@code x = x0 + c * dx}, row {@code r} at
     * {@code y = y0 + r * dy}; each cell is {@code dx} by {@code dy}.
     */
    public static JFreeChart heatmap(String title, String xLabel, String yLabel, double[][] z,
                                     double x0, double dx, double y0, double dy,
                                     ColorRamp colors, String colorLabel, boolean invertY) {
        int rows = z.length;
        int cols = z[0].length;
        double[][] series = new double[3][rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int k = r * cols + c;
                series[0][k] = x0 + c * dx;
                series[1][k] = y0 + r * dy;
                series[2][k] = z[r][c];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(title, series);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockWidth(dx);
        renderer.setBlockHeight(dy);
        renderer.setPaintScale(colors);
        NumberAxis xAxis = axis(xLabel);
        NumberAxis yAxis = axis(yLabel);
        xAxis.setRange(x0 - dx / 2, x0 + (cols - 0.5) * dx);
        yAxis.setRange(y0 - dy / 2, y0 + (rows - 0.5) * dy);
        yAxis.setInverted(invertY);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, false);
        NumberAxis scaleAxis = axis(colorLabel);
        scaleAxis.setRange(colors.getLowerBound(), colors.getUpperBound());
        PaintScaleLegend legend = new PaintScaleLegend(colors, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(8, 8, 8, 8));
        legend.setStripWidth(14);
        legend.setAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
        legend.setSubdivisionCount(256);
        chart.addSubtitle(legend);
        return style(chart);
    }

    static NumberAxis axis(String label) {
        NumberAxis axis = new NumberAxis(label);
        styleAxis(axis);
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    private static void styleAxis(ValueAxis axis) {
        axis.setLabelFont(LABEL_FONT);
        axis.setTickLabelFont(TICK_FONT);
        axis.setTickLabelPaint(Color.DARK_GRAY);
        axis.setLabelPaint(Color.BLACK);
    }

    private static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(6, 6, 6, 12));
        TextTitle title = chart.getTitle();
        if (title != null) {
            title.setFont(TITLE_FONT);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(TICK_FONT);
            legend.setFrame(BlockBorder.NONE);
            legend.setBackgroundPaint(Color.WHITE);
        }
        return chart;
    }

    /**
     * Panels stacked vertically over one shared x axis (the x axis and title of the first panel are used; each
     * panel keeps its own y axis, series and markers).
     */
    public static JFreeChart stacked(Lines... panels) {
        org.jfree.chart.plot.CombinedDomainXYPlot combined =
                new org.jfree.chart.plot.CombinedDomainXYPlot(panels[0].plot().getDomainAxis());
        combined.setGap(14);
        for (Lines panel : panels) {
            combined.add(panel.plot(), 1);
        }
        return style(Lines.chart(panels[0].title, combined, true));
    }

    /** Builder for a chart of one or more x/y line series, with optional log axes, markers and shaded bands. */
    public static final class Lines {
        private final String title;
        private final String xLabel;
        private final String yLabel;
        private final XYSeriesCollection data = new XYSeriesCollection();
        private final List<Boolean> dashed = new ArrayList<>();
        private final List<Boolean> points = new ArrayList<>();
        private final List<Paint> paints = new ArrayList<>();
        private final List<ValueMarker> xMarkers = new ArrayList<>();
        private final List<IntervalMarker> xBands = new ArrayList<>();
        private final List<ValueMarker> yMarkers = new ArrayList<>();
        private final java.util.Set<Integer> linesHidden = new java.util.HashSet<>();
        private boolean logX;
        private boolean logY;
        private boolean equalAspect;
        private boolean legendItemsHidden;
        private Double yLower;
        private Double yUpper;

        private Lines(String title, String xLabel, String yLabel) {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        public Lines series(String key, double[] x, double[] y) {
            return add(key, x, y, false, false, null);
        }

        public Lines pointSeries(String key, double[] x, double[] y) {
            return add(key, x, y, false, true, null);
        }

        /** A series in a chosen colour (otherwise the palette's next colour). */
        public Lines series(String key, double[] x, double[] y, boolean isDashed, boolean withPoints, Color color) {
            return add(key, x, y, isDashed, withPoints, color);
        }

        private Lines add(String key, double[] x, double[] y, boolean isDashed, boolean withPoints, Color color) {
            if (x.length != y.length) {
                throw new IllegalArgumentException(key + ": x and y differ in length");
            }
            XYSeries s = new XYSeries(key, false, true);
            for (int i = 0; i < x.length; i++) {
                s.add(x[i], y[i], false);
            }
            data.addSeries(s);
            dashed.add(isDashed);
            points.add(withPoints);
            paints.add(color != null ? color : PALETTE[(data.getSeriesCount() - 1) % PALETTE.length]);
            return this;
        }

        /** Draw series {@code index} as points only. */
        public Lines hideLine(int index) {
            linesHidden.add(index);
            return this;
        }

        /** A labelled vertical line at {@code x}. */
        public Lines xMarker(double x, String label) {
            ValueMarker m = new ValueMarker(x, new Color(0x555555), new BasicStroke(1.2f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[] {5f, 4f}, 0f));
            xMarkers.add(labelled(m, label, RectangleAnchor.TOP_RIGHT, TextAnchor.TOP_LEFT));
            return this;
        }

        /** A horizontal reference line at {@code y}. */
        public Lines yMarker(double y, String label) {
            ValueMarker m = new ValueMarker(y, new Color(0x777777), new BasicStroke(1f));
            yMarkers.add(labelled(m, label, RectangleAnchor.TOP_LEFT, TextAnchor.BOTTOM_LEFT));
            return this;
        }

        /** A shaded labelled band {@code [from, to]} along x. */
        public Lines xBand(double from, double to, Color color, String label) {
            IntervalMarker m = new IntervalMarker(from, to, color);
            m.setAlpha(0.18f);
            xBands.add(labelled(m, label, RectangleAnchor.BOTTOM, TextAnchor.BOTTOM_CENTER));
            return this;
        }

        /** {@code marker} with the house label style, its label placed at {@code anchor}. */
        private static <M extends Marker> M labelled(M marker, String label, RectangleAnchor anchor,
                                                     TextAnchor textAnchor) {
            marker.setLabel(label);
            marker.setLabelFont(TICK_FONT);
            marker.setLabelBackgroundColor(LABEL_BACKGROUND);
            marker.setLabelAnchor(anchor);
            marker.setLabelTextAnchor(textAnchor);
            return marker;
        }

        public Lines logX() {
            logX = true;
            return this;
        }

        public Lines logY() {
            logY = true;
            return this;
        }

        /** One unit on x is as long as one unit on y (for rotations drawn in the plane). */
        public Lines equalAspect() {
            equalAspect = true;
            return this;
        }

        public Lines yRange(double lower, double upper) {
            yLower = lower;
            yUpper = upper;
            return this;
        }

        /** Leave this panel's series out of a stacked chart's shared legend (same colours as the panel above). */
        public Lines sharesLegend() {
            legendItemsHidden = true;
            return this;
        }

        public JFreeChart build() {
            return style(chart(title, plot(), data.getSeriesCount() > 1));
        }

        private static JFreeChart chart(String title, XYPlot plot, boolean withLegend) {
            JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, withLegend);
            if (chart.getLegend() != null) {
                chart.getLegend().setPosition(RectangleEdge.BOTTOM);
            }
            return chart;
        }

        private XYPlot plot() {
            ValueAxis xAxis = logX
                    ? logAxis(xLabel, data.getDomainLowerBound(false), data.getDomainUpperBound(false))
                    : axis(xLabel);
            ValueAxis yAxis = logY
                    ? logAxis(yLabel, yLower != null ? yLower : data.getRangeLowerBound(false),
                            yUpper != null ? yUpper : data.getRangeUpperBound(false))
                    : axis(yLabel);
            if (yLower != null) {
                yAxis.setRange(yLower, yUpper);
            }
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            for (int i = 0; i < data.getSeriesCount(); i++) {
                renderer.setSeriesPaint(i, paints.get(i));
                renderer.setSeriesStroke(i, dashed.get(i)
                        ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                                new float[] {6f, 4f}, 0f)
                        : new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                renderer.setSeriesShapesVisible(i, points.get(i));
                renderer.setSeriesLinesVisible(i, !linesHidden.contains(i));
                renderer.setSeriesVisibleInLegend(i, !legendItemsHidden);
                renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
            }
            XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(GRID);
            plot.setRangeGridlinePaint(GRID);
            plot.setOutlinePaint(Color.GRAY);
            for (IntervalMarker band : xBands) {
                plot.addDomainMarker(band, Layer.BACKGROUND);
            }
            for (ValueMarker m : xMarkers) {
                plot.addDomainMarker(m, Layer.FOREGROUND);
            }
            for (ValueMarker m : yMarkers) {
                plot.addRangeMarker(m, Layer.BACKGROUND);
            }
            if (equalAspect && xAxis instanceof NumberAxis nx && yAxis instanceof NumberAxis ny) {
                double extent = Math.max(Math.abs(data.getDomainLowerBound(false)),
                        Math.max(Math.abs(data.getDomainUpperBound(false)),
                                Math.max(Math.abs(data.getRangeLowerBound(false)),
                                        Math.abs(data.getRangeUpperBound(false))))) * 1.25;
                nx.setRange(-extent, extent);
                ny.setRange(-extent, extent);
            }
            return plot;
        }

        /**
         * A base-10 log axis with one tick per decade, when the data spans two decades or more; below that a log
         * axis has no readable ticks, so the axis is linear and the label loses its "log scale" mention.
         */
        private static ValueAxis logAxis(String label, double lower, double upper) {
            if (!(upper / lower >= 100)) {
                return axis(label.replace(", log scale)", ")").replace(" (log scale)", ""));
            }
            LogAxis axis = new LogAxis(label);
            styleAxis(axis);
            axis.setBase(10);
            axis.setSmallestValue(1e-12);
            axis.setTickUnit(new NumberTickUnit(1));
            axis.setMinorTickMarksVisible(true);
            axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
            return axis;
        }
    }
}
