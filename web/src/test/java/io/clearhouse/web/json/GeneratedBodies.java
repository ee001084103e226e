package io.clearhouse.web.json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generated request bodies of the API, from valid to garbage, for the properties that fuzz it in a unit test and
 * against a live server: near-valid JSON with plausible and implausible values, duplicate keys, truncations, trailing
 * content, bytes that are not UTF-8, any text at all.
 */
public final class GeneratedBodies {
    private GeneratedBodies() {}

    /**
     * Bodies of {@code POST /api/transfers}; {@code idLengthMax} is the server's id limit, to be crossed now and then,
     * and {@code accounts} the accounts a valid one moves money between.
     */
    public static Arbitrary<byte[]> transfers(int idLengthMax, List<String> accounts) {
        Arbitrary<String> field = Arbitraries.oneOf(text(idLengthMax), value());
        Arbitrary<String> shaped = Combinators.combine(text(idLengthMax), field, field, value())
                .as((id, from, to, amount) -> transfer(id, from, to, amount));
        Arbitrary<String> account = Arbitraries.of(accounts).map(GeneratedBodies::quoted);
        Arbitrary<String> valid = Combinators.combine(
                        freshId(), account, account, Arbitraries.longs().between(1, 1_000))
                .as((id, from, to, amount) -> transfer(id, from, to, String.valueOf(amount)));
        return bodies(Arbitraries.frequencyOf(
                Tuple.of(3, valid),
                Tuple.of(3, shaped),
                Tuple.of(2, members(List.of("id", "from", "to", "amount", "other"), idLengthMax))));
    }

    /**
     * Bodies of {@code POST /api/transactions}, with up to one posting more than {@code postingsMax}; a valid one
     * moves money among {@code accounts}.
     */
    public static Arbitrary<byte[]> transactions(int idLengthMax, int postingsMax, List<String> accounts) {
        Arbitrary<String> posting = members(List.of("account", "amount", "other"), idLengthMax);
        Arbitrary<String> postings = Arbitraries.oneOf(
                posting.list().ofMaxSize(postingsMax + 1).map(list -> "[" + String.join(",", list) + "]"), value());
        Arbitrary<String> id = Arbitraries.oneOf(text(idLengthMax), value());
        Arbitrary<String> object = Combinators.combine(id, postings, Arbitraries.of("", ",\"id\":\"again\""))
                .as((i, p, more) -> "{\"id\":" + i + ",\"postings\":" + p + more + "}");
        Arbitrary<String> valid = Combinators.combine(
                        freshId(),
                        Arbitraries.of(accounts)
                                .list()
                                .ofMinSize(2)
                                .ofMaxSize(postingsMax)
                                .uniqueElements(),
                        Arbitraries.longs().between(1, 1_000).list().ofSize(postingsMax))
                .as((i, chosen, amounts) -> "{\"id\":" + i + ",\"postings\":" + balanced(chosen, amounts) + "}");
        return bodies(Arbitraries.frequencyOf(Tuple.of(1, valid), Tuple.of(1, object)));
    }

    /** Postings on {@code accounts} that sum to zero: the last one takes what the others move. */
    private static String balanced(List<String> accounts, List<Long> amounts) {
        StringBuilder postings = new StringBuilder("[");
        long sum = 0;
        for (int index = 0; index < accounts.size(); index++) {
            long amount = index < accounts.size() - 1 ? (index % 2 == 0 ? -1 : 1) * amounts.get(index) : -sum;
            sum += amount;
            postings.append(index == 0 ? "" : ",")
                    .append("{\"account\":")
                    .append(quoted(accounts.get(index)))
                    .append(",\"amount\":")
                    .append(amount)
                    .append('}');
        }
        return postings.append(']').toString();
    }

    private static String transfer(String id, String from, String to, String amount) {
        return "{\"id\":" + id + ",\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount + "}";
    }

    /** An id unlikely to have been used, so that a valid body runs rather than answering an earlier outcome. */
    private static Arbitrary<String> freshId() {
        return Arbitraries.strings().alpha().numeric().ofLength(16).map(GeneratedBodies::quoted);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** The object as it is, or broken: truncated, trailing content, not UTF-8, or any text at all. */
    private static Arbitrary<byte[]> bodies(Arbitrary<String> object) {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(8, object),
                Tuple.of(1, object.map(json -> json.substring(0, json.length() / 2))),
                Tuple.of(
                        1,
                        Combinators.combine(object, Arbitraries.of("}", " x", "{}", "\u0000"))
                                .as((json, trailing) -> json + trailing)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)));
        return Arbitraries.frequencyOf(
                Tuple.of(9, text.map(json -> json.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)));
    }

    /** An object with some of {@code names}, each with a plausible or implausible value, maybe twice. */
    private static Arbitrary<String> members(List<String> names, int idLengthMax) {
        Arbitrary<String> member = Arbitraries.of(names).flatMap(name -> Arbitraries.oneOf(text(idLengthMax), value())
                .map(value -> "\"" + name + "\":" + value));
        return member.list().ofMaxSize(names.size() + 1).map(list -> "{" + String.join(",", list) + "}");
    }

    private static Arbitrary<String> text(int idLengthMax) {
        return Arbitraries.oneOf(
                        Arbitraries.of(
                                "alice",
                                "bob",
                                "t-1",
                                "",
                                " ",
                                "a".repeat(idLengthMax + 1),
                                "\\u0000",
                                "\\ud800",
                                "\\ud83d\\udcb0",
                                "caf\u00e9",
                                "tab\\t"),
                        Arbitraries.strings()
                                .withCharRange('a', 'e')
                                .ofMinLength(1)
                                .ofMaxLength(3))
                .map(value -> "\"" + value + "\"");
    }

    private static Arbitrary<String> value() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "1",
                        "-1",
                        "0",
                        "-0",
                        "1.0",
                        "1e2",
                        "10",
                        "-10",
                        "9223372036854775807",
                        "-9223372036854775807",
                        "-9223372036854775808",
                        "9223372036854775808",
                        "123456789012345678901234567890",
                        "null",
                        "true",
                        "[]",
                        "{}",
                        "[1]",
                        "\"5\"",
                        "[[[[[[[[[[1]]]]]]]]]]",
                        "NaN"),
                Arbitraries.longs().map(String::valueOf));
    }
}
