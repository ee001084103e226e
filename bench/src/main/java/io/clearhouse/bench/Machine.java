package io.clearhouse.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** One line that says where a figure was measured, printed before the figures so that no result travels alone. */
final class Machine {
    private Machine() {}

    static String describe() {
        Runtime runtime = Runtime.getRuntime();
        return String.format(
                "machine: %d processors, %s, %s memory; JDK %s (%s), max heap %d MB, GC %s; load %s; %s",
                runtime.availableProcessors(),
                procLine(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU"),
                procLine(Path.of("/proc/meminfo"), "MemTotal").orElse("unknown"),
                Runtime.version(),
                System.getProperty("java.vm.name"),
                runtime.maxMemory() / (1024 * 1024),
                collectors(),
                procLine(Path.of("/proc/loadavg"), "").orElse("unknown"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private static String collectors() {
        List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        return beans.stream().map(GarbageCollectorMXBean::getName).collect(Collectors.joining("+"));
    }

    /** The value after the colon of the first line that starts with {@code key}, or the whole first line. */
    private static Optional<String> procLine(Path file, String key) {
        try (var lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(key))
                    .findFirst()
                    .map(line -> line.contains(":") ? line.substring(line.indexOf(':') + 1) : line)
                    .map(String::strip);
        } catch (IOException | RuntimeException unreadable) {
            // Not on Linux, or no /proc: the description says "unknown", the figures are still worth printing.
            return Optional.empty();
        }
    }
}
