package dev.posenc.cli.explore;

import dev.posenc.cli.UserInputException;
import dev.posenc.cli.report.LabResults;
import dev.posenc.cli.verify.PosencBuild;
import java.awt.Desktop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code posenc explore [--port N] [--open] [--lab DIR]}: the interactive explorer, a local web page served on
 * 127.0.0.1 whose every number comes from posenc-core through {@link ExploreApi}. Prints the URL and serves until
 * interrupted (Ctrl-C).
 */
@Command(
        name = "explore",
        mixinStandardHelpOptions = true,
        description = {"Every encoding to see and play with, in a browser, with numbers from posenc-core.",
            "Serves a local page on 127.0.0.1 (offline: no request leaves the machine); Ctrl-C stops it."})
public final class ExploreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8017",
            description = "Port on 127.0.0.1 (0: any free port; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--open", description = "Open the page in the default browser.")
    boolean open;

    @Option(names = "--lab", paramLabel = "DIR",
            description = "The lab's --out folder, holding lab.json (default: lab-out, when it exists).")
    Path lab;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 0 || port > 65535) {
            throw new UserInputException("--port: expected 0 to 65535, got " + port);
        }
        if (lab != null && !Files.isRegularFile(lab.resolve(LabResults.SUMMARY))) {
            throw new UserInputException(lab + ": no " + LabResults.SUMMARY + " in it (--lab expects the lab's"
                    + " output folder)");
        }
        ExploreServer server;
        try {
            server = ExploreServer.start(port, new ExploreApi(PosencBuild.create(),
                    lab != null ? lab : LabResults.DEFAULT_DIR));
        } catch (java.net.BindException e) {
            throw new UserInputException("--port " + port + ": cannot listen on 127.0.0.1:" + port + " ("
                    + e.getMessage() + "); choose another port, or 0 for any free one");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        spec.commandLine().getOut().println("posenc explore: " + server.uri() + "  (Ctrl-C stops it)");
        spec.commandLine().getOut().flush();
        if (open) {
            openBrowser(server);
        }
        stopped.await();
        return 0;
    }

    private void openBrowser(ExploreServer server) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(server.uri());
                return;
            }
            if (Files.isExecutable(Path.of("/usr/bin/xdg-open"))) {
                new ProcessBuilder("/usr/bin/xdg-open", server.uri().toString()).inheritIO().start();
                return;
            }
        } catch (IOException | UnsupportedOperationException e) {
            // fall through to the message
        }
        spec.commandLine().getErr().println("posenc: warning: --open: no browser found; open " + server.uri());
    }
}
