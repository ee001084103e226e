package io.clearhouse.cli;

import io.clearhouse.bankserver.BankServerCommand;
import picocli.CommandLine.Command;

/** The top-level command; it only groups the subcommands. */
@Command(
        name = ClearhouseCommand.NAME,
        mixinStandardHelpOptions = true,
        version = ClearhouseCommand.VERSION,
        description = ClearhouseCommand.DESCRIPTION,
        subcommands = {
            BatchCommand.class,
            ServeCommand.class,
            ClusterCommand.class,
            BankServerCommand.class,
            TokenCommand.class
        })
public final class ClearhouseCommand {
    static final String NAME = "clearhouse";
    static final String VERSION = "clearhouse 0.1.0";
    static final String DESCRIPTION = "Two-phase-commit coordinator for cross-bank money transfers.";

    /**
     * The same top-level command with {@code batch} as its only subcommand. picocli reads every subcommand's
     * annotations and builds its model before it parses anything, and the four others cost a batch about 20 ms of its
     * start through the launcher (40 ms without its class-data archive), a tenth of a batch with no lines; a command
     * line that starts with {@code batch} needs none of them.
     */
    @Command(name = NAME, mixinStandardHelpOptions = true, version = VERSION, description = DESCRIPTION)
    static final class BatchOnly {}
}
