package io.clearhouse.cli;

import io.clearhouse.bankserver.BankServerCommand;
import picocli.CommandLine.Command;

/** The top-level command; it only groups the subcommands. */
@Command(
        name = "clearhouse",
        mixinStandardHelpOptions = true,
        version = "clearhouse 0.1.0",
        description = "Two-phase-commit coordinator for cross-bank money transfers.",
        subcommands = {
            BatchCommand.class,
            ServeCommand.class,
            ClusterCommand.class,
            BankServerCommand.class,
            TokenCommand.class
        })
public final class ClearhouseCommand {}
