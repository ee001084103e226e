package io.clearhouse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long a durable embedded coordinator takes to be ready again after SIGKILL with many transactions in flight
 * (issue 17: within 5 s of its start with 10,000 in flight). Each round starts a {@link RecoveryTimeChild} under load
 * in a fresh directory, kills it with SIGKILL ({@link Process#destroyForcibly}) once it has told {@code --history}
 * outcomes and reports at least {@code --in-flight} transactions in flight, then starts a second child on the same
 * directory and prints what it reports: wall time from its JVM's start to ready and its CPU time by then (which
 * the machine's noise hides less), each step's time, the records replayed and the branches resolved, then the
 * checks that every told outcome is still true, money is conserved and nothing is left prepared. A check that fails
 * ends the benchmark, so a fast but wrong recovery cannot post a figure.
 *
 * <p>The history is a count, not a time, because a restart replays both logs whole: what it costs follows the
 * transfers the killed process made, and a window of seconds makes more of them on a quiet machine than on a busy one.
 */
public final class RecoveryTimeBenchmark {
    static final Map<String, String> DEFAULTS = defaults();

    private RecoveryTimeBenchmark() {}

    private static Map<String, String> defaults() {
        Map<String, String> defaults = Arguments.defaults(
                "in-flight", "10000",
                "runs", "3",
                "history", "200000",
                "kill-deadline-seconds", "120",
                "ready-target-millis", "5000",
                "load-java-opts", "-Xms2g -Xmx2g",
                "recover-java-opts", "-Xms2g -Xmx2g");
        defaults.putAll(RecoveryTimeChild.DEFAULTS);
        // Enough clients that the count in flight stays at or above --in-flight while some are between transfers.
        defaults.put("clients", "0");
        return defaults;
    }

    /** What one round saw: the killed child's last report and the recovering child's two lines. */
    record Round(long inFlightAtKill, long toldAtKill, Map<String, String> ready, Map<String, String> checked) {
        long figure(String name) {
            String value = ready.containsKey(name) ? ready.get(name) : checked.get(name);
            if (value == null) {
                throw new IllegalStateException("the recovering child did not report " + name);
            }
            return Long.parseLong(value);
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Arguments arguments = Arguments.parse(args, DEFAULTS);
        System.out.println("recovery time: " + arguments.describe());
        System.out.println(Machine.describe());
        List<Round> rounds = new ArrayList<>();
        for (int round = 1; round <= arguments.integer("runs"); round++) {
            Round result = runRound(arguments, arguments.path("dir").resolve("round-" + round));
            System.out.println("round " + round + ": killed with " + result.inFlightAtKill() + " in flight, "
                    + result.toldAtKill() + " told; " + result.ready() + "; " + result.checked());
            rounds.add(result);
        }
        printTable(rounds, arguments.longInteger("ready-target-millis"));
    }

    /** One kill under load and one recovery, in {@code directory}, which it empties first. */
    static Round runRound(Arguments arguments, Path directory) throws IOException, InterruptedException {
        EmbeddedSetup.deleteRecursively(directory);
        Files.createDirectories(directory);
        long[] killed = killUnderLoad(arguments, directory);
        Map<String, Map<String, String>> lines = recover(arguments, directory);
        return new Round(killed[0], killed[1], lines.get("ready"), lines.get("checked"));
    }

    /** Returns the in-flight and told counts of the last report before the kill. */
    private static long[] killUnderLoad(Arguments arguments, Path directory) throws IOException, InterruptedException {
        long target = arguments.longInteger("in-flight");
        Process child = start(arguments, "load", "load-java-opts", directory);
        try (BufferedReader out = reader(child)) {
            long start = System.nanoTime();
            long history = arguments.longInteger("history");
            long deadline = start + TimeUnit.SECONDS.toNanos(arguments.longInteger("kill-deadline-seconds"));
            String last = "nothing";
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                String[] fields = line.split(" ");
                if (fields.length != 4 || !fields[0].equals("in-flight")) {
                    continue;
                }
                last = line;
                long inFlight = Long.parseLong(fields[1]);
                long now = System.nanoTime();
                long told = Long.parseLong(fields[3]);
                if (told >= history && inFlight >= target) {
                    child.destroyForcibly().waitFor();
                    return new long[] {inFlight, told};
                }
                if (now > deadline) {
                    throw new IllegalStateException("the loaded child never had " + target
                            + " transactions in flight within --kill-deadline-seconds; its last report: " + last);
                }
            }
            throw new IllegalStateException("the loaded child ended by itself with exit code " + child.waitFor()
                    + "; its last report: " + last);
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    /** Runs the recovering child to its end; returns its {@code ready} and {@code checked} lines as maps. */
    private static Map<String, Map<String, String>> recover(Arguments arguments, Path directory)
            throws IOException, InterruptedException {
        Process child = start(arguments, "recover", "recover-java-opts", directory);
        Map<String, Map<String, String>> lines = new LinkedHashMap<>();
        try (BufferedReader out = reader(child)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                String[] fields = line.split(" ");
                lines.put(fields[0], figures(fields));
            }
            int exit = child.waitFor();
            if (exit != 0 || !lines.containsKey("ready") || !lines.containsKey("checked")) {
                throw new IllegalStateException("the recovering child failed (exit code " + exit
                        + ", its standard error above); it reported " + lines);
            }
            return lines;
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private static Map<String, String> figures(String[] fields) {
        Map<String, String> figures = new LinkedHashMap<>();
        for (int i = 1; i < fields.length; i++) {
            int equals = fields[i].indexOf('=');
            figures.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
        }
        return figures;
    }

    private static Process start(Arguments arguments, String mode, String javaOptions, Path directory)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String option : arguments.text(javaOptions).split(" ")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RecoveryTimeChild.class.getName(), mode));
        for (String name : RecoveryTimeChild.DEFAULTS.keySet()) {
            command.add("--" + name);
            command.add(childValue(arguments, name, directory));
        }
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String childValue(Arguments arguments, String name, Path directory) {
        if (name.equals("dir")) {
            return directory.toString();
        }
        if (name.equals("clients") && arguments.integer("clients") == 0) {
            long inFlight = arguments.longInteger("in-flight");
            return Long.toString(inFlight + inFlight / 10);
        }
        return arguments.text(name);
    }

    private static BufferedReader reader(Process child) {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void printTable(List<Round> rounds, long targetMillis) {
        System.out.println();
        System.out.println("| round | in flight at kill | told | bank records | log records | committed branches"
                + " | rolled back | redriven | banks ms | log ms | recovery ms | JVM start to ready ms"
                + " | CPU s at ready | first transfer ms | target " + targetMillis + " ms |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        int round = 1;
        for (Round r : rounds) {
            long ready = r.figure("jvm-start-to-ready-millis");
            System.out.printf(
                    "| %d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %.2f | %,d | %s |%n",
                    round++,
                    r.inFlightAtKill(),
                    r.toldAtKill(),
                    r.figure("bank-records"),
                    r.figure("log-records"),
                    r.figure("committed-branches"),
                    r.figure("rolled-back-branches"),
                    r.figure("redriven-decisions"),
                    r.figure("banks-millis"),
                    r.figure("log-millis"),
                    r.figure("recovery-millis"),
                    ready,
                    r.figure("cpu-millis") / 1000.0,
                    r.figure("jvm-start-to-first-transfer-millis"),
                    ready <= targetMillis ? "met" : "missed");
        }
    }
}
