package dev.posenc.cli.plot;

import dev.posenc.cli.verify.TextbookBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

class RenderAllForViewing {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (PlotCatalog.Entry e : PlotCatalog.entries()) {
            long t0 = System.nanoTime();
            Figure f = e.drawer().draw(new TextbookBuild(), Optional.empty());
            Files.write(out.resolve(e.name() + ".png"), f.png(1.0));
            Files.writeString(out.resolve(e.name() + ".svg"), f.svg());
            System.out.println(e.name() + " " + (System.nanoTime() - t0) / 1e6 + " ms");
        }
    }
}
