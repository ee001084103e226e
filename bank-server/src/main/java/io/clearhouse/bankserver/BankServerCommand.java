package io.clearhouse.bankserver;

import io.clearhouse.banks.InitialStateFile;
import io.clearhouse.spi.BankException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clearhouse bank-server}: hosts the banks of a state file until stopped. Prints one line on standard output
 * when ready, {@code Bank server ready at URL (banks IDS)}; a bad argument or an unusable state file ends it with exit
 * code 2 and one line on standard error; Ctrl-C or SIGTERM stop it with exit code 0.
 */
@Command(
        name = "bank-server",
        mixinStandardHelpOptions = true,
        description = "Hosts the banks of a state file as durable memory banks behind the bank protocol.")
public final class BankServerCommand implements Callable<Integer> {
    static final int EXIT_UNUSABLE_INPUT = 2;
    static final int EXIT_FAILED = 1;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--initial-state",
            required = true,
            paramLabel = "STATE.json",
            description = "Banks, accounts "
                    + "and opening balances: {\"bank\": {\"account\": balance}}; used for a bank whose state is not yet in "
                    + "the data directory.")
    private Path initialState;

    @Option(
            names = "--banks",
            paramLabel = "IDS",
            description = "The banks to host, such as 1,3,5-9 " + "(default: every bank of the state file).")
    private String banks;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: " + "${DEFAULT-VALUE}).")
    private String host;

    @Option(
            names = "--port",
            defaultValue = "8100",
            description = "Port; 0 takes a free one (default: " + "${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--data-dir",
            defaultValue = "./bank-data",
            paramLabel = "DIR",
            description = "Where the banks' " + "write-ahead log lives (default: ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(
            names = "--fsync",
            defaultValue = "true",
            arity = "1",
            paramLabel = "true|false",
            description = "Force " + "prepare records to disk before voting (default: ${DEFAULT-VALUE}).")
    private String fsync;

    @Option(
            names = "--threads",
            defaultValue = "" + BankServerSettings.THREADS_DEFAULT,
            description = "Threads " + "serving requests (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(
            names = "--request-bytes-max",
            defaultValue = "" + BankServerSettings.REQUEST_BYTES_MAX_DEFAULT,
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    private int requestBytesMax;

    @Option(
            names = "--messages-max",
            defaultValue = "" + BankServerSettings.MESSAGES_MAX_DEFAULT,
            description = "Most " + "messages per request (default: ${DEFAULT-VALUE}).")
    private int messagesMax;

    @Option(
            names = "--branches-max",
            defaultValue = "" + BankServerSettings.BRANCHES_MAX_DEFAULT,
            description = "Most " + "branches per request (default: ${DEFAULT-VALUE}).")
    private int branchesMax;

    @Option(
            names = "--postings-max",
            defaultValue = "" + BankServerSettings.POSTINGS_MAX_DEFAULT,
            description = "Most " + "postings per branch (default: ${DEFAULT-VALUE}).")
    private int postingsMax;

    @Option(
            names = "--id-length-max",
            defaultValue = "" + BankServerSettings.ID_LENGTH_MAX_DEFAULT,
            description = "Longest bank, transaction or account id (default: ${DEFAULT-VALUE}).")
    private int idLengthMax;

    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
                .execute(args));
    }

    /** This command on its own, with the one-line refusal of a bad command line that {@code clearhouse} uses too. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return new CommandLine(new BankServerCommand())
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((problem, args) -> {
                    String name = problem.getCommandLine().getCommandSpec().qualifiedName();
                    err.println(name + ": " + problem.getMessage() + " (see '" + name + " --help')");
                    err.flush();
                    return EXIT_UNUSABLE_INPUT;
                });
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Map<String, Long>> hosted;
        BankServerSettings settings;
        try {
            settings = settings();
            hosted = hostedBanks();
        } catch (IllegalArgumentException | InitialStateFile.UnusableException e) {
            return refuse(err, e.getMessage(), EXIT_UNUSABLE_INPUT);
        }
        StopSignals stop = StopSignals.install();
        try (BankServer server = BankServer.start(settings, hosted)) {
            err.println("bank-server: settings in effect: " + settings.inEffect());
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.println("Bank server ready at " + server.url() + " (banks " + String.join(",", server.bankIds()) + ")");
            out.flush();
            stop.requested().join();
            return 0;
        } catch (IOException | BankException e) {
            return refuse(err, "cannot start: " + e.getMessage(), EXIT_FAILED);
        }
    }

    private static int refuse(PrintWriter err, String message, int exitCode) {
        err.println("bank-server: " + message.replace('\n', ' '));
        err.flush();
        return exitCode;
    }

    private BankServerSettings settings() {
        if (!fsync.equals("true") && !fsync.equals("false")) {
            throw new IllegalArgumentException("--fsync must be true or false: " + fsync);
        }
        return new BankServerSettings(
                host,
                port,
                dataDirectory,
                Boolean.parseBoolean(fsync),
                threads,
                requestBytesMax,
                messagesMax,
                branchesMax,
                postingsMax,
                idLengthMax);
    }

    /** The banks to host with their opening balances: those {@code --banks} names, or every bank of the file. */
    private Map<String, Map<String, Long>> hostedBanks() throws InitialStateFile.UnusableException {
        List<String> selected = banks == null ? null : BankSelection.parse(banks);
        Map<String, Map<String, Long>> state = InitialStateFile.read(initialState);
        if (selected == null) {
            if (state.isEmpty()) {
                throw new IllegalArgumentException("initial state " + initialState + " holds no bank");
            }
            return state;
        }
        Map<String, Map<String, Long>> hosted = new LinkedHashMap<>();
        for (String bankId : selected) {
            Map<String, Long> balances = state.get(bankId);
            if (balances == null) {
                throw new IllegalArgumentException(
                        "--banks names bank " + bankId + ", which initial state " + initialState + " does not hold");
            }
            hosted.put(bankId, balances);
        }
        return hosted;
    }
}
