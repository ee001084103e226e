package io.clearhouse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The banks {@code serve} makes itself: those of a state ({@code --initial-state}, else the demo state) in the kind
 * of {@code --demo-banks}. Both are kept in the data directory and the banks file is written from them at every
 * start, after PostgreSQL: a jdbc bank's entry names the cluster's port, which changes from one start to the next, so
 * a banks file kept from an earlier start could point at nothing, or at another server.
 *
 * @param kind where the banks keep their ledgers
 * @param state the banks, their accounts and opening balances
 */
record DemoBanks(DemoBankKind kind, InitialState state) {
    static final String ROLE = "demo banks";

    /** The banks kept by an earlier start; empty when there is none, or when it ran over a banks file. */
    static Optional<DemoBanks> recorded(ServeLayout layout) throws IOException, InputFileException {
        if (!Files.exists(layout.demoBanksKind())) {
            return Optional.empty();
        }
        String text = Files.readString(layout.demoBanksKind()).strip();
        DemoBankKind kind = DemoBankKind.fromOption(text)
                .orElseThrow(() -> new InputFileException(
                        ROLE,
                        layout.demoBanksKind(),
                        "must be one of " + DemoBankKind.optionValues() + ", not " + text));
        return Optional.of(new DemoBanks(kind, InitialStateReader.read(layout.demoBanksState())));
    }

    /**
     * Checks {@code stateFile}, keeps a copy of it and {@code kind} in the data directory, and returns the banks. The
     * state goes first: a crash between the two leaves the new banks of the old kind, never a kind without banks.
     */
    static DemoBanks record(ServeLayout layout, DemoBankKind kind, Path stateFile)
            throws IOException, InputFileException {
        InitialState state = InitialStateReader.read(stateFile);
        if (!stateFile.toAbsolutePath().normalize().equals(layout.demoBanksState())) {
            ServeFiles.copyFile(stateFile, layout.demoBanksState());
        }
        Path temporary =
                layout.demoBanksKind().resolveSibling(layout.demoBanksKind().getFileName() + ".tmp");
        Files.writeString(temporary, kind.optionValue() + System.lineSeparator());
        Files.move(temporary, layout.demoBanksKind(), StandardCopyOption.REPLACE_EXISTING);
        return new DemoBanks(kind, state);
    }

    /** Forgets the kept banks, once the server runs over a banks file instead. */
    static void forget(ServeLayout layout) throws IOException {
        Files.deleteIfExists(layout.demoBanksKind());
        Files.deleteIfExists(layout.demoBanksState());
    }
}
