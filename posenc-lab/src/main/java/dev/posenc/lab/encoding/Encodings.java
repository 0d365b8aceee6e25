package dev.posenc.lab.encoding;

import dev.posenc.lab.ModelConfig;
import dev.posenc.lab.ParameterSet;
import java.util.List;

/** The encodings the lab trains, by name. */
public final class Encodings {
    /** Every trainable encoding, in the order the lab reports them. */
    public static final List<String> NAMES = List.of("nope", "learned", "sinusoidal", "rope", "rope-learned-theta",
            "alibi", "t5", "shaw", "transformer-xl", "deberta", "kerple", "fire", "xpos", "floater");

    private Encodings() {}

    /** Checks {@code name} is one of {@link #NAMES}; the message lists them. */
    public static String require(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown encoding '" + name + "'; expected one of "
                    + String.join(", ", NAMES));
        }
        return name;
    }

    /** Builds encoding {@code name}, adding its parameters to {@code parameters}. */
    public static LabEncoding create(String name, ParameterSet parameters, ModelConfig model, int trainLength) {
        int layers = model.layers();
        int heads = model.heads();
        int d = model.dModel();
        return switch (require(name)) {
            case "nope" -> new NoPositions();
            case "learned" -> new LearnedAbsolute(parameters, trainLength, d);
            case "sinusoidal" -> new SinusoidalAbsolute(parameters, d);
            case "rope" -> Rotary.standard(parameters, model.headDim());
            case "rope-learned-theta" -> new RotaryLearnedTheta(parameters, model.headDim());
            case "alibi" -> new Alibi(parameters, heads);
            case "t5" -> new T5Bias(parameters, heads);
            case "shaw" -> new ShawRelative(parameters, layers, model.headDim());
            case "transformer-xl" -> new TransformerXlRelative(parameters, layers, d, heads);
            case "deberta" -> new DebertaRelative(parameters, layers, d, heads);
            case "kerple" -> new KerpleLog(parameters, layers, heads);
            case "fire" -> new Fire(parameters, layers, heads);
            case "xpos" -> Rotary.xpos(parameters, model.headDim());
            case "floater" -> new Floater(parameters, d);
            default -> throw new IllegalArgumentException("unknown encoding '" + name + "'");
        };
    }
}
