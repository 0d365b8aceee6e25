package dev.posenc.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.cli.JsonOutput;
import dev.posenc.cli.plot.Figure;
import dev.posenc.cli.plot.PlotCatalog;
import dev.posenc.cli.verify.Build;
import dev.posenc.cli.verify.ArticleClaims;
import dev.posenc.cli.verify.TextbookBuild;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's structure and self-containment, on the tests' textbook build (the real build: ReportCommandTest). */
public class ReportPageTest {
    static final String LAB = """
            {"experiments":{"ranking":{"train_len":64,"results":[{"encoding":"rope","val_ppl":[5.1,5.2,5.0],"mean":5.1,"std":0.08}]},
             "extrapolation":{"train_len":64,"eval_lens":[64,128,256,512],"results":[{"encoding":"rope","ppl":[5.1,6.0,9.5,20.1]},{"encoding":"alibi","ppl":[5.3,5.2,5.2,5.3]}]}}}
            """;

    static String render(Build build, Optional<LabResults.Lab> lab) {
        List<Figure> figures = new ArrayList<>();
        for (PlotCatalog.Entry e : PlotCatalog.entries()) {
            figures.add(e.drawer().draw(build, Optional.empty()));
        }
        ConfigSection ok = new ConfigSection("x.json", Map.of("kind", "rope", "rope_type", "llama3"), "",
                Optional.of(PlotCatalog.byName("bands").orElseThrow().drawer().draw(build, Optional.empty())
                        .named("bands-x.json")));
        ConfigSection bad = new ConfigSection("bad.json", Map.of(), "bad.json: rope_theta: expected a number", Optional.empty());
        return ReportPage.render("test", ArticleClaims.check(build), ArticleClaims.tables(build), figures, "test configs", List.of(ok, bad),
                lab);
    }

    @Test
    void holdsEveryFigureTheChecksTheConfigsAndTheLab() throws Exception {
        JsonNode experiments = JsonOutput.mapper().readTree(LAB).get("experiments");
        byte[] png = PlotCatalog.byName("alibi").orElseThrow().drawer().draw(new TextbookBuild(), Optional.empty())
                .png(0.5);
        String page = render(new TextbookBuild(), Optional.of(new LabResults.Lab(experiments,
                List.of(new LabResults.Image("ranking.png", png)))));
        assertTrue(ReportPage.countFigures(page) >= PlotCatalog.entries().size() + 2, "figures");
        assertTrue(page.contains("rope-relativity-table"));
        assertTrue(page.contains("bad.json: rope_theta: expected a number"));
        assertTrue(page.contains("id=\"lab\"") && page.contains("fig-lab-extrapolation")
                && page.contains("fig-lab-ranking-png"));
        assertEquals(page.indexOf("<figure id=\"fig-bands-x-json\""), page.lastIndexOf("<figure id=\"fig-bands-x-json\""));
        assertSelfContained(page);
    }

    /** No reference that a browser would fetch: every src/href/url() is a data: URI or a fragment. */
    public static void assertSelfContained(String page) {
        assertTrue(page.contains(ReportPage.CSP), "CSP present");
        Matcher m = Pattern.compile("(?i)(?:src|href|xlink:href)\\s*=\\s*\"([^\"]*)\"|url\\(\\s*['\"]?([^)'\"]*)").matcher(page);
        while (m.find()) {
            String ref = m.group(1) != null ? m.group(1) : m.group(2);
            assertTrue(ref.startsWith("#") || ref.startsWith("data:"), () -> "external reference: " + ref);
        }
        assertTrue(!page.contains("<script") && !page.contains("<link") && !page.contains("@import"),
                "no script, link or import");
    }
}
