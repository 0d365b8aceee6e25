package dev.posenc.cli;

import dev.posenc.cli.verify.Build;
import dev.posenc.cli.verify.CheckResult;
import dev.posenc.cli.verify.PosencBuild;
import dev.posenc.cli.verify.ArticleClaims;
import dev.posenc.cli.verify.Table;
import dev.posenc.cli.verify.Threshold;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code posenc verify}: every claim of the articles on positional encodings measured on this build and held to a stated threshold. Exit code 0
 * only if every check passes, 1 otherwise.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {"Check the articles' claims on this build: each claim is measured and compared with a threshold.",
            "Exit code 0 only if every check passes (1 otherwise)."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final java.util.function.Supplier<Build> build;

    public VerifyCommand() {
        this(PosencBuild::create);
    }

    /** A verify command that measures {@code build} (tests pass broken builds to see the exit code). */
    VerifyCommand(java.util.function.Supplier<Build> build) {
        this.build = build;
    }

    @Option(names = "--json", description = "Print {\"checks\":[{name, claim, measured, threshold, passed}],"
            + " \"tables\":[...]} instead of text.")
    boolean json;

    @Override
    public Integer call() {
        Build measured = build.get();
        List<CheckResult> checks = ArticleClaims.check(measured);
        List<Table> tables = ArticleClaims.tables(measured);
        String output = json ? toJson(checks, tables) : toText(checks, tables);
        spec.commandLine().getOut().println(output);
        return checks.stream().allMatch(CheckResult::passed) ? 0 : 1;
    }

    static String toJson(List<CheckResult> checks, List<Table> tables) {
        List<Map<String, Object>> checkList = new ArrayList<>();
        for (CheckResult c : checks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("claim", c.claim());
            m.put("measured", Double.isFinite(c.measured()) ? c.measured() : null);
            m.put("threshold", c.threshold());
            m.put("passed", c.passed());
            checkList.add(m);
        }
        List<Map<String, Object>> tableList = new ArrayList<>();
        for (Table t : tables) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("title", t.title());
            m.put("columns", t.columns());
            m.put("rows", t.rows());
            m.put("note", t.note());
            tableList.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("checks", checkList);
        root.put("tables", tableList);
        return JsonOutput.write(root);
    }

    static String toText(List<CheckResult> checks, List<Table> tables) {
        StringBuilder out = new StringBuilder();
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(10);
        for (CheckResult c : checks) {
            out.append(String.format("%-4s  %-" + width + "s  measured %-12s threshold %s%n",
                    c.passed() ? "ok" : "FAIL", c.name(), Threshold.format(c.measured()), c.threshold()));
            out.append("      ").append(c.claim()).append('\n');
        }
        long passed = checks.stream().filter(CheckResult::passed).count();
        out.append('\n').append(passed).append(" of ").append(checks.size()).append(" checks pass\n");
        for (Table t : tables) {
            out.append('\n').append(t.toText());
        }
        return out.toString().stripTrailing();
    }
}
