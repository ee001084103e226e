package io.clearhouse.web.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Transaction;
import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits on what a request body may carry, and the problems that name them, without a server. */
class RequestBodiesTest {
    private static final int ID_LENGTH_MAX = 256;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Problem transferProblem(String body) {
        return catchThrowableOfType(ProblemException.class, () -> RequestBodies.transfer(utf8(body), ID_LENGTH_MAX))
                .problem();
    }

    @Test
    void refusesATransferIdOverTheLimitNamingTheFieldAndTheSetting() {
        String id = "x".repeat(100_000);

        Problem problem = transferProblem("{\"id\":\"" + id + "\",\"from\":\"alice\",\"to\":\"bob\",\"amount\":1}");

        assertThat(problem)
                .isEqualTo(new Problem(
                        400,
                        "Invalid request",
                        "id has 100000 characters, more than clearhouse.limits.id-length-max (256)",
                        "INVALID_FORMAT",
                        "id"));
    }

    @Test
    void refusesAccountsOverTheLimitOrWithControlCharactersBeforeTheAmount() {
        String from = "a".repeat(257);

        assertThat(transferProblem("{\"id\":\"t1\",\"from\":\"" + from + "\",\"to\":\"bob\",\"amount\":0}"))
                .extracting(Problem::reason, Problem::field)
                .containsExactly("INVALID_FORMAT", "from");
        assertThat(transferProblem("{\"id\":\"t1\",\"from\":\"alice\",\"to\":\"b\\u0000ob\",\"amount\":1}"))
                .extracting(Problem::field, Problem::detail)
                .containsExactly("to", "to contains the control character U+0000 at index 1");
    }

    @Test
    void acceptsIdsOfExactlyTheLimit() {
        String id = "\u00e9".repeat(ID_LENGTH_MAX);

        Transaction transfer = RequestBodies.transfer(
                utf8("{\"id\":\"" + id + "\",\"from\":\"" + id + "\",\"to\":\"bob\",\"amount\":1}"), ID_LENGTH_MAX);

        assertThat(transfer).isEqualTo(Transaction.transfer(id, id, "bob", 1));
    }

    @Test
    void refusesATransactionAccountOverTheLimitNamingThePosting() {
        String body = "{\"id\":\"tx1\",\"postings\":[{\"account\":\"alice\",\"amount\":-1},{\"account\":\""
                + "b".repeat(300) + "\",\"amount\":1}]}";

        Problem problem = catchThrowableOfType(
                        ProblemException.class, () -> RequestBodies.transaction(utf8(body), 64, ID_LENGTH_MAX))
                .problem();

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.field()).isEqualTo("postings[1].account");
        assertThat(problem.detail())
                .isEqualTo("postings[1].account has 300 characters, more than clearhouse.limits.id-length-max (256)");
        assertThat(RequestBodies.transaction(
                        utf8("{\"id\":\"tx1\",\"postings\":[{\"account\":\"a\",\"amount\":-1},"
                                + "{\"account\":\"b\",\"amount\":1}]}"),
                        64,
                        ID_LENGTH_MAX))
                .isEqualTo(new Transaction("tx1", List.of(new Posting("a", -1), new Posting("b", 1))));
    }

    @Test
    void readsABodyOfTheLimitAndRefusesALargerOneWith413ReadingNoFurther() {
        assertThat(RequestBodies.read(new ByteArrayInputStream(new byte[1024]), 1024))
                .hasSize(1024);

        InputStream endless = InputStream.nullInputStream();
        int[] read = {0};
        InputStream large = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return 'x';
            }
        };
        Problem problem = catchThrowableOfType(ProblemException.class, () -> RequestBodies.read(large, 1024))
                .problem();

        assertThat(problem)
                .isEqualTo(new Problem(
                        413,
                        "Request body too large",
                        "the body has more than 1024 bytes, the limit clearhouse.limits.body-bytes-max sets",
                        "INVALID_FORMAT",
                        null));
        assertThat(read[0]).isEqualTo(1025);
        assertThat(RequestBodies.read(endless, 1024)).isEmpty();
    }
}
