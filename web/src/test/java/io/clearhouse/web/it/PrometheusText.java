package io.clearhouse.web.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Prometheus scraper demands of the text format: every sample is {@code name[{labels}] value [timestamp]}, its
 * value a number, and it belongs to a family a {@code # TYPE} line declares (a summary's or histogram's samples add
 * {@code _count}, {@code _sum} or {@code _bucket} to the family's name, a counter's {@code _total}).
 */
final class PrometheusText {
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\\w+)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)( -?\\d+)?");
    private static final Map<String, Set<String>> SUFFIXES = Map.of(
            "summary", Set.of("_count", "_sum"),
            "histogram", Set.of("_count", "_sum", "_bucket"),
            "counter", Set.of("_total"));

    private PrometheusText() {}

    /** The lines a scraper would refuse, each with why; empty when the whole text parses. */
    static List<String> problems(String text) {
        Map<String, String> types = new HashMap<>();
        text.lines()
                .map(TYPE::matcher)
                .filter(Matcher::matches)
                .forEach(type -> types.put(type.group(1), type.group(2)));
        List<String> problems = new ArrayList<>();
        for (String line : text.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                problems.add("not a sample: " + line);
            } else if (!isNumber(sample.group(3))) {
                problems.add("not a number: " + line);
            } else if (!isDeclared(sample.group(1), types)) {
                problems.add("no # TYPE for its family: " + line);
            }
        }
        return problems;
    }

    private static boolean isDeclared(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return true;
        }
        return types.entrySet().stream().anyMatch(family -> SUFFIXES.getOrDefault(family.getValue(), Set.of()).stream()
                .anyMatch(suffix -> name.equals(family.getKey() + suffix)));
    }

    private static boolean isNumber(String value) {
        if (Set.of("NaN", "+Inf", "-Inf").contains(value)) {
            return true;
        }
        try {
            Double.parseDouble(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
