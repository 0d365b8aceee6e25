package dev.posenc.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.lab.encoding.Encodings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole lab on the tiny preset: every experiment, JSON, plots, resume. */
class LabRunTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void tinyLabProducesEveryExperimentAndResumesToTheSameNumbers() throws Exception {
        Path corpus = Files.write(dir.resolve("corpus.txt"), LabTestSupport.text());
        Path out = dir.resolve("out");
        StringWriter progress = new StringWriter();
        Lab.Options options = new Lab.Options(LabPreset.tiny(), corpus, out, false, 2, null);
        Map<String, Object> summary = Lab.run(options, new PrintWriter(progress, true));
        assertTrue(progress.toString().contains("ETA"), "progress bar with ETA on stderr");

        Map<String, Object> ex = (Map<String, Object>) summary.get("experiments");
        for (String name : List.of("ranking", "extrapolation", "learnable_theta", "linear_attention", "cnn_position",
                "overhead")) {
            assertNotNull(ex.get(name), name);
            assertTrue(Files.size(out.resolve(name + ".json")) > 0, name + ".json");
            assertTrue(Files.size(out.resolve("plots").resolve(name + ".png")) > 0, name + ".png");
            assertTrue(Files.size(out.resolve("plots").resolve(name + ".svg")) > 0, name + ".svg");
        }
        Map<String, Object> ranking = (Map<String, Object>) ex.get("ranking");
        assertEquals(16, ranking.get("train_len"));
        List<Map<String, Object>> results = (List<Map<String, Object>>) ranking.get("results");
        assertEquals(Encodings.NAMES, results.stream().map(r -> r.get("encoding")).toList());
        for (Map<String, Object> r : results) {
            List<Double> ppl = (List<Double>) r.get("val_ppl");
            assertEquals(2, ppl.size());
            ppl.forEach(p -> assertTrue(p > 1 && p < 300, r.get("encoding") + " ppl " + p));
        }
        Map<String, Object> extrapolation = (Map<String, Object>) ex.get("extrapolation");
        assertEquals(List.of(16, 32), extrapolation.get("eval_lens"));
        List<Map<String, Object>> ext = (List<Map<String, Object>>) extrapolation.get("results");
        assertTrue(ext.stream().map(r -> r.get("encoding")).toList()
                .containsAll(List.of("rope+pi", "rope+ntk", "rope+dynamic", "rope+yarn")));
        Map<String, Object> learned = ext.stream().filter(r -> r.get("encoding").equals("learned")).findFirst()
                .orElseThrow();
        assertTrue(Double.isNaN((Double) ((List<Object>) learned.get("ppl")).get(1)),
                "a learned table has no positions beyond its length");
        String json = LabJson.write(summary);
        assertTrue(json.contains("\"ppl\" : [") && !json.contains("NaN"), "NaN is written as null");
        assertTrue(LabTables.format(summary).contains("1. ranking"));

        // A second invocation without --resume refuses to overwrite; with it, every finished run is read back.
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Lab.run(options, new PrintWriter(new StringWriter())));
        assertTrue(refused.getMessage().contains("--resume"), refused.getMessage());
        Files.delete(out.resolve("runs").resolve("ranking-rope-s1.json"));
        Map<String, Object> resumed = Lab.run(new Lab.Options(LabPreset.tiny(), corpus, out, true, 2, null),
                new PrintWriter(new StringWriter()));
        Map<String, Object> rx = (Map<String, Object>) resumed.get("experiments");
        assertEquals(LabJson.write(ex.get("ranking")), LabJson.write(rx.get("ranking")));
        assertEquals(LabJson.write(ex.get("extrapolation")), LabJson.write(rx.get("extrapolation")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSubsetOfEncodingsSkipsWhatItCannotMeasure() throws Exception {
        Path corpus = Files.write(dir.resolve("corpus.txt"), LabTestSupport.text());
        Map<String, Object> summary = Lab.run(new Lab.Options(LabPreset.tiny(), corpus, dir.resolve("o"), false, 2,
                List.of("nope", "alibi")), new PrintWriter(new StringWriter()));
        Map<String, Object> ex = (Map<String, Object>) summary.get("experiments");
        assertNull(ex.get("learnable_theta"));
        assertEquals(2, ((List<Object>) ((Map<String, Object>) ex.get("ranking")).get("results")).size());
    }
}
