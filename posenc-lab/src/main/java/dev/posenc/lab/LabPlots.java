package dev.posenc.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * One chart per experiment, as PNG and SVG (XChart), from the experiments' JSON objects. Files are written
 * atomically. Rendering runs headless.
 */
final class LabPlots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private LabPlots() {}

    @SuppressWarnings("unchecked")
    static void writeAll(Path dir, Map<String, Object> experiments) {
        System.setProperty("java.awt.headless", "true");
        save(dir, "ranking", seedBars("Validation perplexity at the training length (mean ± std over seeds)",
                (List<Map<String, Object>>) ((Map<String, Object>) experiments.get("ranking")).get("results")));
        save(dir, "extrapolation", extrapolation((Map<String, Object>) experiments.get("extrapolation")));
        if (experiments.get("learnable_theta") != null) {
            save(dir, "learnable_theta", theta((Map<String, Object>) experiments.get("learnable_theta")));
        }
        save(dir, "linear_attention", seedBars("Linear attention (φ = elu+1): validation perplexity",
                (List<Map<String, Object>>) ((Map<String, Object>) experiments.get("linear_attention")).get("results")));
        save(dir, "cnn_position", cnn((Map<String, Object>) experiments.get("cnn_position")));
        save(dir, "overhead", overhead((Map<String, Object>) experiments.get("overhead")));
    }

    private static double number(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    private static CategoryChart seedBars(String title, List<Map<String, Object>> results) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .yAxisTitle("perplexity (bytes)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        List<String> names = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        for (Map<String, Object> r : results) {
            names.add(String.valueOf(r.get("encoding")));
            means.add(number(r.get("mean")));
            double std = number(r.get("std"));
            errors.add(Double.isFinite(std) ? std : 0);
        }
        double min = means.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).min().orElse(0);
        chart.getStyler().setYAxisMin(Math.max(0, min * 0.9));
        chart.addSeries("val_ppl", names, means, errors);
        return chart;
    }

    @SuppressWarnings("unchecked")
    private static XYChart extrapolation(Map<String, Object> e) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Extrapolation: trained at " + e.get("train_len") + ", evaluated longer")
                .xAxisTitle("evaluation length (tokens)").yAxisTitle("perplexity (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double[] lens = ((List<Number>) e.get("eval_lens")).stream().mapToDouble(Number::doubleValue).toArray();
        for (Map<String, Object> r : (List<Map<String, Object>>) e.get("results")) {
            List<Object> ppl = (List<Object>) r.get("ppl");
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < lens.length; i++) {
                double y = number(ppl.get(i));
                if (Double.isFinite(y)) {
                    xs.add(lens[i]);
                    ys.add(y);
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(String.valueOf(r.get("encoding")), xs, ys);
            }
        }
        return chart;
    }

    @SuppressWarnings("unchecked")
    private static XYChart theta(Map<String, Object> t) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Learnable RoPE θ: trained vs 10000^(−2i/d)").xAxisTitle("pair i").yAxisTitle("θ_i (log scale)")
                .build();
        chart.getStyler().setYAxisLogarithmic(true);
        List<Object> initial = (List<Object>) toList(t.get("initial"));
        double[] x = new double[initial.size()];
        double[] y = new double[initial.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = number(initial.get(i));
        }
        chart.addSeries("initial", x, y);
        int seed = 1;
        for (List<Object> trained : (List<List<Object>>) t.get("trained")) {
            double[] ty = trained.stream().mapToDouble(LabPlots::number).map(v -> Math.max(v, 1e-9)).toArray();
            chart.addSeries("trained, seed " + seed++, x, ty);
        }
        return chart;
    }

    private static List<?> toList(Object o) {
        if (o instanceof float[] f) {
            List<Object> l = new ArrayList<>();
            for (float v : f) {
                l.add((double) v);
            }
            return l;
        }
        return (List<?>) o;
    }

    @SuppressWarnings("unchecked")
    private static CategoryChart cnn(Map<String, Object> c) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("CNN predicting absolute position (chance " + String.format(java.util.Locale.ROOT, "%.3f",
                        number(c.get("chance_accuracy"))) + ")").yAxisTitle("accuracy").build();
        chart.getStyler().setLegendVisible(false);
        List<String> names = new ArrayList<>();
        List<Double> acc = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) c.get("results")) {
            names.add(r.get("padding") + " padding");
            acc.add(number(r.get("mean_accuracy")));
        }
        chart.addSeries("accuracy", names, acc);
        return chart;
    }

    @SuppressWarnings("unchecked")
    private static CategoryChart overhead(Map<String, Object> o) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Training step time relative to NoPE").yAxisTitle("× nope").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        List<String> names = new ArrayList<>();
        List<Double> rel = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) o.get("step")) {
            names.add(String.valueOf(r.get("encoding")));
            rel.add(number(r.get("relative_to_nope")));
        }
        chart.addSeries("relative", names, rel);
        return chart;
    }

    private static void save(Path dir, String name, Chart<?, ?> chart) {
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap((Chart) chart, png, BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(dir.resolve(name + ".png"), png.toByteArray());
            ByteArrayOutputStream svg = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            AtomicFiles.write(dir.resolve(name + ".svg"), svg.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(name) + ": cannot write the plot: " + e.getMessage(), e);
        }
    }
}
