package dev.posenc.cli.plot;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * One drawn picture: a JFreeChart with the name it is plotted under, a caption saying what it shows, and its size
 * in pixels. Rendering happens on demand, to SVG (JFreeSVG) or PNG (Java2D), headless ({@link Charts} sets
 * {@code java.awt.headless} before any chart exists).
 *
 * @param name the plot name ({@code posenc plot NAME}), also the file stem and the SVG id prefix
 * @param caption one or two sentences under the figure in the report: what is drawn and what to look for
 * @param chart the chart; not shared between figures
 * @param width width in pixels
 * @param height height in pixels
 * @param raster whether the report should embed a PNG rather than SVG (heatmaps: thousands of cells make SVG large)
 */
public record Figure(String name, String caption, JFreeChart chart, int width, int height, boolean raster) {
    public Figure {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("figure size must be positive, got " + width + "x" + height);
        }
    }

    /** A line chart or other vector-friendly figure. */
    public Figure(String name, String caption, JFreeChart chart, int width, int height) {
        this(name, caption, chart, width, height, false);
    }

    /** The same figure under another name (ids in a page must be unique); letters, digits and '-' are kept. */
    public Figure named(String newName) {
        return new Figure(newName.replaceAll("[^A-Za-z0-9-]", "-"), caption, chart, width, height, raster);
    }

    /**
     * The chart as an SVG root element (no XML prolog) with a view box, so it scales with CSS; ids are prefixed
     * with the name so that several figures can share one HTML page.
     */
    public String svg() {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(name + "-");
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        return g.getSVGElement(name + "-svg", true, new ViewBox(0, 0, width, height), null, null);
    }

    /** The chart as PNG bytes, rendered with anti-aliasing at {@code scale} times its size. */
    public byte[] png(double scale) {
        int w = (int) Math.round(width * scale);
        int h = (int) Math.round(height * scale);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(scale, scale);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
