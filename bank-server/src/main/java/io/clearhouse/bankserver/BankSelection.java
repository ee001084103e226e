package io.clearhouse.bankserver;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code --banks} argument: bank ids separated by commas, where {@code 5-9} stands for every numeric id from 5 to
 * 9. A part whose two sides are not both plain numbers is an id of its own, so {@code kit-bank} names one bank.
 */
final class BankSelection {
    /** The most ids one range may stand for, so that a typo such as {@code 1-1000000000} is refused, not expanded. */
    static final int RANGE_IDS_MAX = 100_000;

    private BankSelection() {}

    /**
     * The ids {@code text} names, in its order, each once.
     *
     * @throws IllegalArgumentException naming the part that is not an id or a range
     */
    static List<String> parse(String text) {
        Set<String> ids = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String id = part.trim();
            if (id.isEmpty()) {
                throw new IllegalArgumentException("--banks has an empty id: '" + text + "'");
            }
            int dash = id.indexOf('-', 1);
            if (dash > 0 && isNumber(id.substring(0, dash)) && isNumber(id.substring(dash + 1))) {
                addRange(ids, id, Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
            } else {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    private static void addRange(Set<String> ids, String range, long first, long last) {
        if (first > last || last - first >= RANGE_IDS_MAX) {
            throw new IllegalArgumentException(
                    "--banks range " + range + " must run upwards over at most " + RANGE_IDS_MAX + " ids");
        }
        for (long id = first; id <= last; id++) {
            ids.add(Long.toString(id));
        }
    }

    private static boolean isNumber(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
