package dev.posenc.cli;

import dev.posenc.config.LayerAttention;
import dev.posenc.config.LayerEncoding;
import dev.posenc.config.ModelGeometry;
import dev.posenc.querykey.RopeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code posenc inspect}'s view of a model's attention geometry ({@link ModelGeometry}): the {@code "geometry"}
 * object of {@code --json}, one entry per layer, and the text table, one row per group of layers that are alike.
 */
final class GeometryView {
    private GeometryView() {}

    /** {@code {"num_layers", "layers": [{"layer", "layer_type", "query_heads", ...}, ...]}}. */
    static Map<String, Object> json(ModelGeometry geometry) {
        List<Object> layers = new ArrayList<>();
        for (LayerAttention layer : geometry.layers()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("layer", layer.layer());
            out.put("layer_type", layer.layerType());
            out.put("query_heads", layer.queryHeads());
            out.put("kv_heads", layer.keyValueHeads());
            out.put("qk_head_dim", layer.qkHeadDim());
            out.put("v_head_dim", layer.vHeadDim());
            switch (layer.encoding()) {
                case LayerEncoding.Rotary r -> {
                    out.put("encoding", "rope");
                    out.put("rope_type", r.spec().ropeType().id());
                    out.put("rope_theta", r.spec().ropeTheta());
                    out.put("layout", r.spec().layout().id());
                    out.put("rotary_offset", r.offset());
                    out.put("rotary_dim", r.spec().rotaryDim());
                    out.put("shared_key_head", r.sharedKeyHead());
                    out.put("mrope_section", r.mrope().isPresent() ? r.mrope().get().section() : null);
                }
                case LayerEncoding.NoPE n -> {
                    out.put("encoding", "nope");
                    out.put("nope_reason", n.reason());
                }
            }
            out.put("softmax_scale", layer.softmaxScale());
            out.put("sliding_window", layer.slidingWindow().isPresent() ? layer.slidingWindow().getAsInt() : null);
            out.put("attention_chunk_size", layer.attentionChunkSize().isPresent()
                    ? layer.attentionChunkSize().getAsInt() : null);
            out.put("logit_softcapping", layer.logitSoftcapping().isPresent()
                    ? layer.logitSoftcapping().getAsDouble() : null);
            out.put("query_temperature", layer.queryTemperature().map(t -> Map.of("floor_scale", t.floorScale(),
                    "attn_scale", t.attnScale())).orElse(null));
            layers.add(out);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("num_layers", geometry.numLayers());
        out.put("layers", layers);
        return out;
    }

    /** The text form: one line per group of layers that differ only in their index. */
    static String text(ModelGeometry geometry) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (LayerAttention layer : geometry.layers()) {
            groups.computeIfAbsent(row(layer), k -> new ArrayList<>()).add(layer.layer());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("attention geometry, ").append(geometry.numLayers()).append(" layers:\n");
        groups.forEach((row, layers) -> sb.append("  layer").append(layers.size() == 1 ? " " : "s ")
                .append(layers(layers)).append(": ").append(row).append('\n'));
        return sb.toString();
    }

    private static String row(LayerAttention layer) {
        StringBuilder sb = new StringBuilder();
        sb.append(layer.layerType()).append(", heads ").append(layer.queryHeads()).append('/')
                .append(layer.keyValueHeads()).append(" (q/kv), head_dim ").append(layer.qkHeadDim());
        if (layer.vHeadDim() != layer.qkHeadDim()) {
            sb.append(" (v ").append(layer.vHeadDim()).append(')');
        }
        switch (layer.encoding()) {
            case LayerEncoding.Rotary r -> {
                RopeSpec s = r.spec();
                sb.append(", rope ").append(s.ropeType().id()).append(" theta ").append(number(s.ropeTheta()))
                        .append(" on [").append(r.offset()).append(", ").append(r.offset() + s.rotaryDim())
                        .append(')');
                r.mrope().ifPresent(m -> sb.append(m.interleaved() ? " (interleaved" : " (").append("M-RoPE ")
                        .append(java.util.Arrays.toString(m.section())).append(')'));
                if (r.sharedKeyHead()) {
                    sb.append(" of q, keys: one shared k_pe head of ").append(s.headDim());
                }
            }
            case LayerEncoding.NoPE n -> sb.append(", NoPE (").append(n.reason()).append(')');
        }
        sb.append(", softmax scale ").append(layer.softmaxScale());
        layer.slidingWindow().ifPresent(w -> sb.append(", sliding_window ").append(w));
        layer.attentionChunkSize().ifPresent(w -> sb.append(", attention_chunk_size ").append(w));
        layer.logitSoftcapping().ifPresent(c -> sb.append(", softcap ").append(number(c)));
        layer.queryTemperature().ifPresent(t -> sb.append(", query temperature (floor_scale ")
                .append(number(t.floorScale())).append(", attn_scale ").append(number(t.attnScale())).append(')'));
        return sb.toString();
    }

    /** {@code 0, 2, ..., 40 (21 layers)} for a progression, else runs: {@code 0-4, 6-10, 12}. */
    private static String layers(List<Integer> layers) {
        int n = layers.size();
        int step = n > 1 ? layers.get(1) - layers.get(0) : 1;
        boolean progression = true;
        for (int i = 2; i < n && progression; i++) {
            progression = layers.get(i) - layers.get(i - 1) == step;
        }
        if (progression && step > 1 && n > 3) {
            return layers.get(0) + ", " + layers.get(1) + ", ..., " + layers.getLast() + " (" + n + " layers)";
        }
        List<String> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || layers.get(i) != layers.get(i - 1) + 1) {
                runs.add(i - 1 == start ? String.valueOf(layers.get(start))
                        : layers.get(start) + "-" + layers.get(i - 1));
                start = i;
            }
        }
        return String.join(", ", runs);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
