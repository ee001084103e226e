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

    /** Bodies of {@code POST /api/transfers}; {@code idLengthMax} is the server's id limit, to be crossed now and then. */
    public static Arbitrary<byte[]> transfers(int idLengthMax) {
        Arbitrary<String> field = Arbitraries.oneOf(text(idLengthMax), value());
        Arbitrary<String> shaped = Combinators.combine(text(idLengthMax), field, field, value())
                .as((id, from, to, amount) ->
                        "{\"id\":" + id + ",\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount + "}");
        return bodies(Arbitraries.oneOf(shaped, members(List.of("id", "from", "to", "amount", "other"), idLengthMax)));
    }

    /** Bodies of {@code POST /api/transactions}, with up to one posting more than {@code postingsMax}. */
    public static Arbitrary<byte[]> transactions(int idLengthMax, int postingsMax) {
        Arbitrary<String> posting = members(List.of("account", "amount", "other"), idLengthMax);
        Arbitrary<String> postings = Arbitraries.oneOf(
                posting.list().ofMaxSize(postingsMax + 1).map(list -> "[" + String.join(",", list) + "]"), value());
        Arbitrary<String> id = Arbitraries.oneOf(text(idLengthMax), value());
        Arbitrary<String> object = Combinators.combine(id, postings, Arbitraries.of("", ",\"id\":\"again\""))
                .as((i, p, more) -> "{\"id\":" + i + ",\"postings\":" + p + more + "}");
        return bodies(object);
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
