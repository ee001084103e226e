package io.clearhouse.web.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clearhouse.core.recovery.BranchOutcome;
import io.clearhouse.ejb.SettlementRequest;
import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The body of a settlement by hand: what it must hold, and the problem that names what it lacks. */
class SettlementBodyTest {
    private static final int ID_LENGTH_MAX = 256;

    private static SettlementRequest read(String body) {
        return SettlementBody.read(body.getBytes(StandardCharsets.UTF_8), ID_LENGTH_MAX);
    }

    private static Problem problem(String body) {
        return catchThrowableOfType(ProblemException.class, () -> read(body)).problem();
    }

    @Test
    void readsASettlementWithForceFalseByDefaultAndNoReason() {
        assertThat(read("{\"transaction_id\":\"t-1\",\"bank\":\"2\",\"outcome\":\"commit\"}"))
                .isEqualTo(new SettlementRequest("t-1", "2", BranchOutcome.COMMIT, false, null));
        assertThat(read("{\"transaction_id\":\"t-1\",\"bank\":\"2\",\"outcome\":\"rollback\",\"force\":true,"
                        + "\"reason\":\"bank 2 confirmed by phone\"}"))
                .isEqualTo(
                        new SettlementRequest("t-1", "2", BranchOutcome.ROLLBACK, true, "bank 2 confirmed by phone"));
    }

    @Test
    void refusesForceWithoutAReason() {
        assertThat(problem("{\"transaction_id\":\"t-1\",\"bank\":\"2\",\"outcome\":\"commit\",\"force\":true}"))
                .extracting(Problem::status, Problem::reason, Problem::field)
                .containsExactly(400, "INVALID_FORMAT", "reason");
        assertThat(problem("{\"transaction_id\":\"t-1\",\"bank\":\"2\",\"outcome\":\"commit\",\"force\":true,"
                        + "\"reason\":\"  \"}"))
                .extracting(Problem::field)
                .isEqualTo("reason");
    }

    @Test
    void refusesAReasonOverTheLimitOrHoldingANul() {
        String base = "{\"transaction_id\":\"t-1\",\"bank\":\"2\",\"outcome\":\"commit\",\"reason\":";

        assertThat(read(base + "\"" + "r".repeat(1_000) + "\"}").reason()).hasSize(1_000);
        assertThat(problem(base + "\"" + "r".repeat(1_001) + "\"}"))
                .extracting(Problem::field, Problem::detail)
                .containsExactly("reason", "reason has 1001 characters; at most 1000");
        assertThat(problem(base + "\"a\\u0000b\"}")).extracting(Problem::field).isEqualTo("reason");
        assertThat(problem(base + "7}")).extracting(Problem::field).isEqualTo("reason");
    }

    @Test
    void refusesAnUnknownFieldNamingIt() {
        Problem problem = problem("{\"transaction_id\":\"t-1\",\"bank\":\"2\",\"outcome\":\"commit\",\"forse\":true}");

        assertThat(problem).extracting(Problem::status, Problem::field).containsExactly(400, "forse");
    }

    @Test
    void refusesAMissingOrUnknownOutcomeAndAForceThatIsNoBoolean() {
        assertThat(problem("{\"transaction_id\":\"t-1\",\"bank\":\"2\"}").field())
                .isEqualTo("outcome");
        assertThat(problem("{\"transaction_id\":\"t-1\",\"bank\":\"2\",\"outcome\":\"COMMIT\"}")
                        .field())
                .isEqualTo("outcome");
        assertThat(problem("{\"transaction_id\":\"t-1\",\"bank\":\"2\",\"outcome\":\"commit\",\"force\":\"yes\"}")
                        .field())
                .isEqualTo("force");
    }

    @Test
    void checksTheIdsAsTheOtherBodiesDo() {
        assertThat(problem("{\"bank\":\"2\",\"outcome\":\"commit\"}").field()).isEqualTo("transaction_id");
        assertThat(problem("{\"transaction_id\":\"t-1\",\"bank\":\"" + "b".repeat(257) + "\",\"outcome\":\"commit\"}")
                        .field())
                .isEqualTo("bank");
        assertThat(problem("[1]").reason()).isEqualTo("INVALID_FORMAT");
    }
}
