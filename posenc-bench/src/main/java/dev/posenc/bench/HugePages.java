package dev.posenc.bench;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this JVM's heap sits on transparent huge pages (2 MiB on x86-64) rather than 4 KiB pages. A RoPE call over
 * 80 MiB of queries and keys crosses 20,480 small pages (each a TLB miss and a page walk), and the kernel, with its
 * cos/sin rows as a second stream, feels that more than the baseline does (the README's performance section gives
 * both). {@code bench rope} reports which pages it ran on; the benchmarks give their forked JVMs the setting of the
 * JVM that measures the alternating rounds, so that all of a run measures one kind of memory. {@code ./posenc bench
 * rope} asks for them where the kernel offers them ({@code -XX:+UseTransparentHugePages};
 * {@code POSENC_JAVA_OPTS=-XX:-UseTransparentHugePages} measures without).
 */
public final class HugePages {
    /** The kernel's switch: {@code always [madvise] never}, the bracketed word in force. */
    private static final Path ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    private HugePages() {}

    /** Whether this JVM asked for transparent huge pages ({@code -XX:+UseTransparentHugePages}). */
    public static boolean requested() {
        return Boolean.TRUE.equals(option());
    }

    /** The JVM's {@code UseTransparentHugePages}, or {@code null} where it has none (the option is Linux's only). */
    private static Boolean option() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (vm == null) {
            return null;
        }
        try {
            return Boolean.parseBoolean(vm.getVMOption("UseTransparentHugePages").getValue());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The kernel's mode ({@code always}, {@code madvise}, {@code never}), or {@code null} where it has none. */
    static String kernelMode() {
        try {
            return mode(Files.readString(ENABLED));
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The bracketed word of the kernel's switch file ({@code "always [madvise] never"}), or {@code null}. */
    public static String mode(String enabled) {
        int open = enabled.indexOf('[');
        int close = open < 0 ? -1 : enabled.indexOf(']', open + 1);
        return close > open + 1 ? enabled.substring(open + 1, close) : null;
    }

    /**
     * Whether the heap gets huge pages: the kernel gives them to every large mapping ({@code always}), or to those
     * the JVM marks ({@code madvise}) when it was asked to.
     */
    public static boolean inUse() {
        String mode = kernelMode();
        return "always".equals(mode) || ("madvise".equals(mode) && requested());
    }

    /**
     * Whether native memory (an arena's large allocation) gets huge pages: only where the kernel gives them to every
     * large mapping ({@code always}); the JVM's option marks its heap alone.
     */
    public static boolean inUseOffHeap() {
        return "always".equals(kernelMode());
    }

    /** The flags that give a forked JVM this JVM's setting: none where the JVM has no such option. */
    static List<String> forkFlags() {
        Boolean option = option();
        if (option == null) {
            return List.of();
        }
        return List.of(option ? "-XX:+UseTransparentHugePages" : "-XX:-UseTransparentHugePages");
    }
}
