package io.clearhouse.core.log;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One string per distinct bank or account name among the records one opening of a log decodes. A file log keeps
 * every replayed commit decision in its index, and each named its banks and accounts with strings of its own: about
 * half of a decision's bytes, which the collector copied at every replay of a large log (issue 17). Lives as long as
 * the opening; ids, unique per transaction, are not looked up.
 */
final class CanonicalNames implements UnaryOperator<String> {
    private final Map<String, String> names = new HashMap<>();

    /** The first string equal to {@code name} that this instance was given. */
    @Override
    public String apply(String name) {
        String first = names.putIfAbsent(name, name);
        return first == null ? name : first;
    }
}
