import com.google.gson.Gson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs `posenc inspect --json [--seq-len N] FILE` for many files in one JVM, through the CLI's own entry point
 * (dev.posenc.cli.Main.run: same parsing, same error handling and exit codes, no System.exit).
 * Input: a file of lines "SEQLEN\tPATH" (SEQLEN "-" = initialisation). Output: one JSON object per line on stdout,
 * {"rc": exit code, "out": stdout, "err": stderr}.
 * Usage: java -cp posenc-cli/target/posenc-cli.jar:posenc-cli/target/lib/* InspectMany.java LIST
 */
public final class InspectMany {
    public static void main(String[] args) throws Exception {
        Gson gson = new Gson();
        PrintWriter stdout = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            String[] parts = line.split("\t", 2);
            List<String> cli = new ArrayList<>(List.of("inspect", "--json"));
            if (!parts[0].equals("-")) {
                cli.add("--seq-len");
                cli.add(parts[0]);
            }
            cli.add(parts[1]);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int rc;
            try {
                rc = dev.posenc.cli.Main.run(cli.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            } catch (Throwable t) {
                rc = -1;
                err.write("runner caught: " + t);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("rc", rc);
            result.put("out", out.toString());
            result.put("err", err.toString());
            stdout.println(gson.toJson(result));
        }
        stdout.flush();
    }
}
