package dev.posenc.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.cli.JsonOutput;
import dev.posenc.cli.plot.Charts;
import dev.posenc.cli.plot.Figure;
import dev.posenc.cli.verify.ArticleClaims;
import dev.posenc.cli.verify.CheckResult;
import dev.posenc.cli.verify.Table;
import dev.posenc.cli.verify.Threshold;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The report as one self-contained HTML page: inline CSS, figures as inline SVG (heatmaps as embedded PNG data
 * URIs), no script, no font, no request of any kind; a Content-Security-Policy forbids every fetch so that a
 * stray reference could not reach the network either.
 */
public final class ReportPage {
    /** Blocks every network fetch; allows only the inline styles and data: images the page carries. */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
            main{max-width:1000px;margin:0 auto;padding:24px 28px 60px;background:#fff}
            h1{font-size:1.9em;margin:.2em 0}h2{margin-top:2em;border-bottom:2px solid #0072B2;padding-bottom:.2em}
            h3{margin-top:1.6em}p.lead{color:#444}code,pre{font-family:"DejaVu Sans Mono",monospace;font-size:.9em}
            table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.88em}
            th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f2f5f8}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.threshold{max-width:13em}
            .pass{color:#0a7d36;font-weight:600}.fail{color:#b3261e;font-weight:600}
            .summary{font-size:1.15em;padding:.6em 1em;border-radius:6px;display:inline-block}
            .summary.ok{background:#e6f4ea}.summary.bad{background:#fce8e6}
            figure{margin:1.4em 0 2em;border:1px solid #e3e3e3;border-radius:6px;padding:10px}
            figure svg,figure img{max-width:100%;height:auto;display:block;margin:0 auto}
            figcaption{color:#333;font-size:.92em;margin-top:.5em}figcaption code{color:#555}
            nav ol{columns:2}details{margin:.4em 0 1em}summary{cursor:pointer;color:#0072B2}
            .note{color:#555;font-size:.9em}
            """;

    private final StringBuilder html = new StringBuilder();
    private int figureCount;

    private ReportPage() {}

    /**
     * The whole page.
     *
     * @param version the posenc version line shown in the header
     * @param checks the verify results
     * @param tables the survey's tables
     * @param figures the plots, in order
     * @param configsSource one sentence saying where the configs come from
     * @param configs one section per inspected config
     * @param lab the lab's experiments, when present
     */
    public static String render(String version, List<CheckResult> checks, List<Table> tables, List<Figure> figures,
                                String configsSource, List<ConfigSection> configs, Optional<LabResults.Lab> lab) {
        ReportPage page = new ReportPage();
        page.write(version, checks, tables, figures, configsSource, configs, lab);
        return page.html.toString();
    }

    /** The number of figures in a rendered page. */
    public static int countFigures(String page) {
        int n = 0;
        for (int i = page.indexOf("<figure"); i >= 0; i = page.indexOf("<figure", i + 1)) {
            n++;
        }
        return n;
    }

    private void write(String version, List<CheckResult> checks, List<Table> tables, List<Figure> figures,
                       String configsSource, List<ConfigSection> configs, Optional<LabResults.Lab> lab) {
        long passed = checks.stream().filter(CheckResult::passed).count();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>posenc report</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        html.append("<h1>posenc report</h1>\n<p class=\"lead\">Positional encodings for Transformers, measured on this"
                + " build: the claims of five articles on positional encodings checked, their pictures redrawn, and how each bundled or given config"
                + " encodes positions. Every number and curve here was computed by posenc-core.</p>\n");
        html.append("<details><summary>The articles</summary><ol>");
        for (String article : ArticleClaims.ARTICLES) {
            html.append("<li>").append(Html.escape(article)).append("</li>");
        }
        html.append("</ol></details>\n");
        html.append("<p class=\"note\">").append(Html.escape(version)).append("</p>\n");
        html.append("<p class=\"summary ").append(passed == checks.size() ? "ok" : "bad").append("\">")
                .append(passed).append(" of ").append(checks.size()).append(" checks pass</p>\n");
        html.append("<nav><ol><li><a href=\"#checks\">Claims checked</a></li><li><a href=\"#survey\">The survey's"
                + " tables</a></li><li><a href=\"#figures\">Figures</a></li><li><a href=\"#configs\">Configs</a></li>");
        if (lab.isPresent()) {
            html.append("<li><a href=\"#lab\">Lab</a></li>");
        }
        html.append("</ol></nav>\n");
        writeChecks(checks);
        html.append("<h2 id=\"survey\">The survey's RoPE tables, recomputed</h2>\n");
        for (Table t : tables) {
            writeTable(t);
        }
        html.append("<h2 id=\"figures\">Figures</h2>\n");
        for (Figure f : figures) {
            writeFigure(f, "posenc plot " + f.name());
        }
        writeConfigs(configsSource, configs);
        lab.ifPresent(this::writeLab);
        html.append("<p class=\"note\">Regenerate with <code>./posenc report -o out/</code>; each figure alone with"
                + " <code>./posenc plot NAME --png -o NAME.png</code>; the checks with <code>./posenc verify</code>."
                + "</p>\n</main>\n</body>\n</html>\n");
    }

    private void writeChecks(List<CheckResult> checks) {
        html.append("<h2 id=\"checks\">Claims checked (<code>posenc verify</code>)</h2>\n<table>\n<tr><th>check</th>"
                + "<th>claim and what is measured</th><th>measured</th><th>threshold</th><th></th></tr>\n");
        for (CheckResult c : checks) {
            html.append("<tr><td><code>").append(Html.escape(c.name())).append("</code></td><td>")
                    .append(Html.escape(c.claim())).append("</td><td class=\"num\">")
                    .append(Html.escape(Threshold.format(c.measured()))).append("</td><td class=\"threshold\">")
                    .append(Html.escape(c.threshold())).append("</td><td class=\"")
                    .append(c.passed() ? "pass\">pass" : "fail\">FAIL").append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private void writeTable(Table t) {
        html.append("<h3>").append(Html.escape(t.title())).append("</h3>\n<table>\n<tr>");
        for (String c : t.columns()) {
            html.append("<th>").append(Html.escape(c)).append("</th>");
        }
        html.append("</tr>\n");
        for (List<String> row : t.rows()) {
            html.append("<tr>");
            for (String cell : row) {
                html.append("<td class=\"num\">").append(Html.escape(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        if (!t.note().isEmpty()) {
            html.append("<p class=\"note\">").append(Html.escape(t.note())).append("</p>\n");
        }
    }

    private void writeFigure(Figure f, String command) {
        figureCount++;
        html.append("<figure id=\"fig-").append(Html.escape(f.name())).append("\">\n");
        if (f.raster()) {
            html.append("<img alt=\"").append(Html.escape(f.name())).append("\" width=\"").append(f.width())
                    .append("\" height=\"").append(f.height()).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(f.png(2.0))).append("\">\n");
        } else {
            html.append(f.svg()).append('\n');
        }
        html.append("<figcaption><b>Figure ").append(figureCount).append(".</b> ").append(Html.escape(f.caption()))
                .append(" <code>").append(Html.escape(command)).append("</code></figcaption>\n</figure>\n");
    }

    private void writeConfigs(String source, List<ConfigSection> configs) {
        html.append("<h2 id=\"configs\">Configs (<code>posenc inspect</code>)</h2>\n<p class=\"note\">")
                .append(Html.escape(source)).append("</p>\n");
        for (ConfigSection c : configs) {
            html.append("<h3><code>").append(Html.escape(c.file())).append("</code></h3>\n");
            if (!c.error().isEmpty()) {
                html.append("<p class=\"fail\">").append(Html.escape(c.error())).append("</p>\n");
                continue;
            }
            html.append("<table>\n");
            List<Map.Entry<String, Object>> lists = new ArrayList<>();
            for (Map.Entry<String, Object> e : c.inspection().entrySet()) {
                if ((e.getValue() instanceof List<?> list && list.size() > 8)
                        || (e.getValue() instanceof float[] array && array.length > 8)
                        || e.getValue() instanceof Map<?, ?>) {
                    lists.add(e);
                    continue;
                }
                html.append("<tr><th>").append(Html.escape(e.getKey())).append("</th><td>")
                        .append(Html.escape(cell(e.getValue()))).append("</td></tr>\n");
            }
            html.append("</table>\n");
            for (Map.Entry<String, Object> e : lists) {
                String what = switch (e.getValue()) {
                    case float[] array -> array.length + " values";
                    case List<?> list -> list.size() + " values";
                    default -> "JSON";
                };
                String body = e.getValue() instanceof Map<?, ?> ? JsonOutput.write(e.getValue()) : cell(e.getValue());
                html.append("<details><summary>").append(Html.escape(e.getKey())).append(" (")
                        .append(what).append(")</summary><p><code>")
                        .append(Html.escape(body)).append("</code></p></details>\n");
            }
            c.bands().ifPresent(f -> writeFigure(f, "posenc plot bands --config " + c.file()));
        }
    }

    private static String cell(Object value) {
        if (value instanceof Double d) {
            return Threshold.format(d);
        }
        if (value instanceof Float f) {
            return Threshold.format(f);
        }
        if (value instanceof float[] array) {
            List<Object> list = new ArrayList<>();
            for (float v : array) {
                list.add(v);
            }
            return cell(list);
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                parts.add(cell(o));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        return value == null ? "null" : value instanceof String || value instanceof Number || value instanceof Boolean
                ? String.valueOf(value) : JsonOutput.write(value).replaceAll("\\s+", " ");
    }

    private void writeLab(LabResults.Lab lab) {
        JsonNode experiments = lab.experiments();
        html.append("<h2 id=\"lab\">Lab (<code>posenc lab</code>)</h2>\n<p class=\"note\">Small language models"
                + " trained with each encoding on this machine; read from the lab's lab.json (perplexities per byte;"
                + " see docs/lab-json.md).</p>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = experiments.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            html.append("<h3>").append(Html.escape(e.getKey())).append("</h3>\n");
            JsonNode exp = e.getValue();
            StringBuilder scalars = new StringBuilder();
            List<Map.Entry<String, JsonNode>> tables = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> f = exp.fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                JsonNode v = field.getValue();
                if (v.isArray() && !v.isEmpty() && v.get(0).isObject()) {
                    tables.add(field);
                } else {
                    String text = v.toString();
                    scalars.append(field.getKey()).append(" = ")
                            .append(text.length() > 300 ? text.substring(0, 300) + " …" : text).append("; ");
                }
            }
            if (!scalars.isEmpty()) {
                html.append("<p class=\"note\">").append(Html.escape(scalars.toString())).append("</p>\n");
            }
            for (Map.Entry<String, JsonNode> t : tables) {
                if (tables.size() > 1 || !t.getKey().equals("results")) {
                    html.append("<p><b>").append(Html.escape(t.getKey())).append("</b></p>\n");
                }
                writeResults(t.getValue());
            }
            JsonNode results = exp.get("results");
            if (exp.has("eval_lens") && results != null && results.isArray() && !results.isEmpty()
                    && results.get(0).has("ppl")) {
                writeFigure(extrapolationFigure(exp), "posenc lab");
            }
        }
        for (LabResults.Image image : lab.plots()) {
            figureCount++;
            html.append("<figure id=\"fig-lab-").append(Html.escape(image.name().replaceAll("[^A-Za-z0-9-]", "-")))
                    .append("\">\n<img alt=\"").append(Html.escape(image.name()))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(image.png()))
                    .append("\">\n<figcaption><b>Figure ").append(figureCount).append(".</b> The lab's own plot ")
                    .append(Html.escape(image.name())).append(". <code>posenc lab</code></figcaption>\n</figure>\n");
        }
    }

    private void writeResults(JsonNode results) {
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode r : results) {
            r.fieldNames().forEachRemaining(columns::add);
        }
        html.append("<table>\n<tr>");
        for (String c : columns) {
            html.append("<th>").append(Html.escape(c)).append("</th>");
        }
        html.append("</tr>\n");
        for (JsonNode r : results) {
            html.append("<tr>");
            for (String c : columns) {
                JsonNode v = r.get(c);
                html.append("<td class=\"num\">").append(Html.escape(v == null ? "" : labCell(v))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String labCell(JsonNode v) {
        if (v.isNumber()) {
            return Threshold.format(v.asDouble());
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(labCell(x)));
            return String.join(", ", parts);
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static Figure extrapolationFigure(JsonNode exp) {
        JsonNode lens = exp.get("eval_lens");
        double[] x = new double[lens.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = lens.get(i).asDouble();
        }
        Charts.Lines chart = Charts.lines("Lab: validation perplexity by evaluation length",
                "evaluation length (tokens, log scale)", "perplexity (log scale)").logX().logY();
        for (JsonNode r : exp.get("results")) {
            JsonNode ppl = r.get("ppl");
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < x.length && i < ppl.size(); i++) {
                if (ppl.get(i).isNumber()) {
                    points.add(new double[] {x[i], ppl.get(i).asDouble()});
                }
            }
            chart.pointSeries(r.path("encoding").asText("?"), points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray());
        }
        if (exp.has("train_len")) {
            chart.xMarker(exp.get("train_len").asDouble(), "training length");
        }
        return new Figure("lab-extrapolation", "Perplexity of each encoding when evaluated at and beyond its training"
                + " length (lab, extrapolation experiment).", chart.build(), 820, 520);
    }
}
