package dev.posenc.cli;

import dev.posenc.logits.DebertaBuckets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code posenc bias deberta}: DeBERTa-v2's log-bucketed relative positions (HF {@code make_log_bucket_position}). */
@Command(
        name = "deberta",
        mixinStandardHelpOptions = true,
        description = {"DeBERTa-v2/v3 relative position buckets, exactly as Hugging Face's make_log_bucket_position.",
            "The relative position is query - key (build_relative_position in HF)."})
public final class BiasDebertaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--buckets", required = true, description = "position_buckets (DeBERTa-v3: 256)")
    int buckets;

    @Option(names = "--max-position", required = true,
            description = "max_relative_positions (DeBERTa-v3: 512, its max_position_embeddings)")
    int maxPosition;

    @Option(names = "--from", required = true, description = "first relative position (query - key)")
    int from;

    @Option(names = "--to", required = true, description = "last relative position (query - key)")
    int to;

    @Option(names = "--json", description = "print {\"relative_position\":[...],\"bucket\":[...]}")
    boolean json;

    @Override
    public Integer call() {
        if (buckets < 2) {
            throw new UserInputException("--buckets must be >= 2, got " + buckets);
        }
        if (maxPosition - 1 <= buckets / 2) {
            throw new UserInputException("--max-position must be greater than --buckets/2 + 1 = " + (buckets / 2 + 1)
                    + " (the log buckets divide by ln((max_position - 1)/(buckets/2))), got " + maxPosition);
        }
        RelativeRange range = new RelativeRange(from, to);
        DebertaBuckets deberta = new DebertaBuckets(buckets, maxPosition);
        BucketTable table = BucketTable.of("DeBERTa buckets (position_buckets=" + buckets + ", max_relative_positions="
                + maxPosition + "); relative position = query - key", range, deberta::bucket);
        table.print(spec.commandLine().getOut(), json);
        return 0;
    }
}
