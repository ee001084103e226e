package io.clearhouse.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} pairs of a benchmark's command line. A benchmark declares the names it knows with their
 * defaults, so that a mistyped option stops the run instead of silently measuring the default.
 */
final class Arguments {
    private final Map<String, String> values;

    private Arguments(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code args} against the known options.
     *
     * @param defaults every option the benchmark knows, with its default value as text
     * @throws IllegalArgumentException on an unknown option or a missing value
     */
    static Arguments parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || !defaults.containsKey(name.substring(2))) {
                throw new IllegalArgumentException("unknown option " + name + "; known: " + names(defaults.keySet()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            values.put(name.substring(2), args[i + 1]);
        }
        return new Arguments(values);
    }

    /** Builds the defaults map from alternating names and values, keeping their order for {@link #describe()}. */
    static Map<String, String> defaults(String... namesAndValues) {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            defaults.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return defaults;
    }

    /**
     * The defaults of a benchmark that drives cross-bank transfers ({@link EmbeddedSetup.Running#loadAndCheck}): its
     * own, then the load's (accounts, balances, amounts, warm-up and measured window, bounds, seed).
     */
    static Map<String, String> transferLoadDefaults(String... namesAndValues) {
        Map<String, String> defaults = defaults(namesAndValues);
        defaults.putAll(defaults(
                "accounts-per-bank", "1000",
                "balance", "1000000000000",
                "amount-max", "100",
                "warmup-seconds", "3",
                "measure-seconds", "10",
                "transactions-max", "20000000",
                "outcome-timeout-millis", "30000",
                "seed", "42"));
        return defaults;
    }

    String text(String name) {
        return require(name);
    }

    int integer(String name) {
        return Integer.parseInt(require(name).replace("_", ""));
    }

    long longInteger(String name) {
        return Long.parseLong(require(name).replace("_", ""));
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(require(name));
    }

    Path path(String name) {
        return Path.of(require(name));
    }

    /** A comma-separated list of integers, such as {@code 16,64,256}. */
    List<Integer> integers(String name) {
        List<Integer> list = new ArrayList<>();
        for (String part : require(name).split(",")) {
            list.add(Integer.parseInt(part.strip().replace("_", "")));
        }
        return list;
    }

    /** The values in effect, on one line, so that every printed figure carries the settings that produced it. */
    String describe() {
        StringBuilder line = new StringBuilder();
        values.forEach(
                (name, value) -> line.append(" --").append(name).append(' ').append(value));
        return line.toString().strip();
    }

    private String require(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("benchmark asked for an option it did not declare: " + name);
        }
        return value;
    }

    private static String names(Set<String> names) {
        String[] sorted = names.toArray(new String[0]);
        Arrays.sort(sorted);
        return "--" + String.join(", --", sorted);
    }
}
