package io.clearhouse.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the execution samples of a Java Flight Recorder file and prints where the CPU time went: the hottest methods
 * by self time, the innermost Clearhouse method of each sample (which charges JDK collections and locks to the
 * Clearhouse code that called them), and inclusive time per method. JDK only, so that a profile needs no tool
 * beyond the JVM that ran the benchmark.
 */
public final class HotMethods {
    private static final String OWN_PACKAGE = "io.clearhouse.";

    private HotMethods() {}

    public static void main(String[] args) throws IOException {
        Arguments arguments = Arguments.parse(args, Arguments.defaults("recording", "target/profile.jfr", "top", "25"));
        List<List<String>> stacks = samples(arguments.path("recording"));
        int top = arguments.integer("top");
        System.out.printf("%,d execution samples in %s%n", stacks.size(), arguments.path("recording"));
        print("self time", count(stacks, stack -> Set.of(stack.get(0))), stacks.size(), top);
        print("innermost Clearhouse frame", count(stacks, HotMethods::innermostOwn), stacks.size(), top);
        print("inclusive time", count(stacks, HashSet::new), stacks.size(), top);
    }

    /** Every sample's stack as method names, innermost first; samples without a stack are dropped. */
    static List<List<String>> samples(Path recording) throws IOException {
        return RecordingFile.readAllEvents(recording).stream()
                .filter(event -> event.getEventType().getName().equals("jdk.ExecutionSample"))
                .map(RecordedEvent::getStackTrace)
                .filter(trace -> trace != null && !trace.getFrames().isEmpty())
                .map(trace -> trace.getFrames().stream().map(HotMethods::name).toList())
                .toList();
    }

    private static String name(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        return method.getType().getName() + "." + method.getName();
    }

    private static Set<String> innermostOwn(List<String> stack) {
        return Set.of(stack.stream()
                .filter(method -> method.startsWith(OWN_PACKAGE))
                .findFirst()
                .orElse("(no Clearhouse frame: JVM, GC or JDK threads)"));
    }

    private static Map<String, Integer> count(List<List<String>> stacks, Function<List<String>, Set<String>> keys) {
        Map<String, Integer> counts = new TreeMap<>();
        for (List<String> stack : stacks) {
            for (String key : keys.apply(stack)) {
                counts.merge(key, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println();
        System.out.println(title + ":");
        String lines = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .map(entry -> String.format("%6.1f%%  %s", 100.0 * entry.getValue() / samples, entry.getKey()))
                .collect(Collectors.joining(System.lineSeparator()));
        System.out.println(lines);
    }
}
