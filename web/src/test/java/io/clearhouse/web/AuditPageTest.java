package io.clearhouse.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.problem.ProblemException;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The query parameters of {@code GET /api/audit}: their defaults, limits, and the problem naming a bad one. */
class AuditPageTest {
    private static Problem problem(String limit, String before) {
        return catchThrowableOfType(ProblemException.class, () -> AuditPage.of(limit, before))
                .problem();
    }

    @Test
    void asksAHundredNewestEntriesByDefault() {
        assertThat(AuditPage.of(null, null)).isEqualTo(new AuditPage(100, OptionalLong.empty()));
        assertThat(AuditPage.of("1000", "42")).isEqualTo(new AuditPage(1_000, OptionalLong.of(42)));
    }

    @Test
    void refusesALimitOutsideOneToAThousandNamingTheParameter() {
        for (String limit : new String[] {"0", "1001", "-5", "ten", "", "99999999999999999999"}) {
            assertThat(problem(limit, null))
                    .as(limit)
                    .extracting(Problem::status, Problem::reason, Problem::field)
                    .containsExactly(400, "INVALID_FORMAT", "limit");
        }
    }

    @Test
    void refusesABeforeThatIsNoPositiveId() {
        assertThat(problem(null, "0").field()).isEqualTo("before");
        assertThat(problem(null, "x".repeat(10_000)).detail()).hasSizeLessThan(200);
    }
}
