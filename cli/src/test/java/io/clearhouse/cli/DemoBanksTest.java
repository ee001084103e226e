package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoBanksTest {
    @TempDir
    Path directory;

    @Test
    void aRecordedKindAndStateAreWhatTheNextStartFinds() throws Exception {
        ServeLayout layout = layout();
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"alice\":5},\"2\":{\"bob\":0}}");

        DemoBanks recorded = DemoBanks.record(layout, DemoBankKind.JDBC_XA, state);
        Files.delete(state);

        assertThat(recorded.state().banks()).isEqualTo(Map.of("1", Map.of("alice", 5L), "2", Map.of("bob", 0L)));
        assertThat(DemoBanks.recorded(layout)).contains(recorded);
    }

    @Test
    void recordingAgainFromTheKeptStateChangesOnlyTheKind() throws Exception {
        ServeLayout layout = layout();
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"alice\":5}}");
        DemoBanks first = DemoBanks.record(layout, DemoBankKind.MEMORY, state);

        DemoBanks second = DemoBanks.record(layout, DemoBankKind.JDBC, layout.demoBanksState());

        assertThat(second).isEqualTo(new DemoBanks(DemoBankKind.JDBC, first.state()));
        assertThat(DemoBanks.recorded(layout)).contains(second);
    }

    @Test
    void aBadStateIsRefusedAndNothingIsRecorded() throws Exception {
        ServeLayout layout = layout();
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"alice\":-5}}");

        assertThatThrownBy(() -> DemoBanks.record(layout, DemoBankKind.JDBC, state))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("negative balance");
        assertThat(DemoBanks.recorded(layout)).isEmpty();
        assertThat(layout.demoBanksState()).doesNotExist();
    }

    @Test
    void forgottenBanksAreNotFoundAndAnEditedKindIsRefused() throws Exception {
        ServeLayout layout = layout();
        Path state = Files.writeString(directory.resolve("state.json"), "{\"1\":{\"alice\":5}}");
        DemoBanks.record(layout, DemoBankKind.JDBC, state);
        Files.writeString(layout.demoBanksKind(), "postgres\n");

        assertThatThrownBy(() -> DemoBanks.recorded(layout))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("must be one of memory, jdbc, jdbc-xa, not postgres");
        DemoBanks.forget(layout);
        assertThat(DemoBanks.recorded(layout)).isEmpty();
    }

    private ServeLayout layout() throws IOException {
        return new ServeLayout(Files.createDirectories(directory.resolve("data")));
    }
}
