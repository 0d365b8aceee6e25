package dev.posenc.cli;

import dev.posenc.logits.T5Buckets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code posenc bias t5}: T5's relative position buckets (HF {@code _relative_position_bucket}). */
@Command(
        name = "t5",
        mixinStandardHelpOptions = true,
        description = {"T5 relative position buckets, exactly as Hugging Face's T5Attention._relative_position_bucket.",
            "The relative position is key - query (memory_position - query_position in HF)."})
public final class BiasT5Command implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--buckets", required = true, description = "relative_attention_num_buckets (T5: 32)")
    int buckets;

    @Option(names = "--max-distance", defaultValue = "128",
            description = "relative_attention_max_distance (default: ${DEFAULT-VALUE}, HF's default)")
    int maxDistance;

    @Option(names = "--causal", description = "causal buckets (T5's decoder) instead of bidirectional (encoder)")
    boolean causal;

    @Option(names = "--from", required = true, description = "first relative position (key - query)")
    int from;

    @Option(names = "--to", required = true, description = "last relative position (key - query)")
    int to;

    @Option(names = "--json", description = "print {\"relative_position\":[...],\"bucket\":[...]}")
    boolean json;

    @Override
    public Integer call() {
        int minBuckets = causal ? 2 : 4;
        if (buckets < minBuckets) {
            throw new UserInputException("--buckets must be >= " + minBuckets + (causal ? "" : " for bidirectional "
                    + "buckets (half per direction; add --causal for causal buckets)") + ", got " + buckets);
        }
        int maxExact = (causal ? buckets : buckets / 2) / 2;
        if (maxDistance <= maxExact) {
            throw new UserInputException("--max-distance must be greater than the " + maxExact + " exact buckets of --buckets "
                    + buckets + ", got " + maxDistance);
        }
        RelativeRange range = new RelativeRange(from, to);
        T5Buckets t5 = new T5Buckets(buckets, maxDistance, !causal);
        BucketTable table = BucketTable.of("T5 buckets (" + (causal ? "causal" : "bidirectional") + ", num_buckets="
                + buckets + ", max_distance=" + maxDistance + "); relative position = key - query", range, t5::bucket);
        table.print(spec.commandLine().getOut(), json);
        return 0;
    }
}
