package io.clearhouse.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.auth.Role;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PayaraEndpointsSettingTest {
    private static Optional<Role> read(Map<String, String> settings) {
        return PayaraEndpointsSetting.read(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void leavesTheEndpointsOpenWhenAbsentOrBlank() {
        assertThat(read(Map.of())).isEmpty();
        assertThat(read(Map.of(PayaraEndpointsSetting.ROLE, " "))).isEmpty();
    }

    @Test
    void readsEachRoleByItsClaimName() {
        for (Role role : Role.values()) {
            assertThat(read(Map.of(PayaraEndpointsSetting.ROLE, " " + role.claimName() + " ")))
                    .contains(role);
        }
    }

    @Test
    void refusesAValueThatNamesNoRoleNamingTheSettingAndTheRoles() {
        assertThatThrownBy(() -> read(Map.of(PayaraEndpointsSetting.ROLE, "admin")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clearhouse.auth.metrics-openapi-role must be one of transfer, read, operator, or empty to"
                        + " leave /metrics and /openapi open, not 'admin'");
    }
}
