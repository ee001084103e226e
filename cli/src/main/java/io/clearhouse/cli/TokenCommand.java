package io.clearhouse.cli;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.SigningKeys;
import io.clearhouse.auth.TokenClaims;
import io.clearhouse.auth.TokenWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints one bearer token signed with the key pair that {@code serve} or {@code cluster} made in a data directory, and
 * nothing else on standard output, so that {@code curl -H "Authorization: Bearer $(./clearhouse token --roles read)"}
 * works.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Prints a bearer token for the server of a data directory, signed with its key pair.")
final class TokenCommand implements Callable<Integer> {
    static final int TTL_HOURS_MAX = 720;
    /** Subjects are names of people or services; a longer one is a mistake, and it travels in every request. */
    static final int SUBJECT_LENGTH_MAX = 256;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--data-dir",
            defaultValue = "./data",
            paramLabel = "DIR",
            description = "The data directory of serve or cluster, whose key pair signs the token (default:"
                    + " ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(
            names = "--roles",
            required = true,
            split = ",",
            paramLabel = "ROLE",
            description = "Roles the token grants, comma-separated: transfer, read, operator.")
    private Set<String> roles;

    @Option(
            names = "--ttl-hours",
            defaultValue = "24",
            paramLabel = "HOURS",
            description = "How long the token counts, 1.." + TTL_HOURS_MAX + " hours (default: ${DEFAULT-VALUE}).")
    private long ttlHours;

    @Option(
            names = "--subject",
            paramLabel = "NAME",
            description = "Whom the token names, the principal the server records (default: the user name).")
    private String subject = System.getProperty("user.name");

    @Option(
            names = "--issuer",
            defaultValue = TokenClaims.DEFAULT_ISSUER,
            paramLabel = "ISSUER",
            description = "The token's issuer, which the server checks (default: ${DEFAULT-VALUE}).")
    private String issuer;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Set<Role> granted = parseRoles();
            checkOptions();
            SigningKeys keys = ServerAuth.signingKeys(dataDirectory);
            if (!keys.exist()) {
                throw new InputFileException(
                        "data directory",
                        dataDirectory,
                        "has no signing key pair (" + ServerAuth.KEYS_DIRECTORY + "/" + SigningKeys.PRIVATE_KEY_FILE
                                + "): start serve or cluster with this --data-dir once");
            }
            TokenClaims claims = TokenClaims.issue(issuer, subject, granted, Instant.now(), Duration.ofHours(ttlHours));
            String token = new TokenWriter(keys.readPrivateKey()).write(claims);
            PrintWriter out = spec.commandLine().getOut();
            out.println(token);
            out.flush();
            return BatchCommand.EXIT_OK;
        } catch (InputFileException e) {
            return refuse(err, e.getMessage());
        } catch (IOException e) {
            return refuse(err, "the signing key cannot be read: " + e.getMessage());
        }
    }

    private Set<Role> parseRoles() throws InputFileException {
        Set<Role> granted = EnumSet.noneOf(Role.class);
        for (String name : roles) {
            granted.add(Role.fromClaimName(name.strip())
                    .orElseThrow(() -> new InputFileException(
                            "option", Path.of("--roles"), "'" + name + "' is not a role (" + Role.claimNames() + ")")));
        }
        return granted;
    }

    private void checkOptions() throws InputFileException {
        if (ttlHours < 1 || ttlHours > TTL_HOURS_MAX) {
            throw new InputFileException(
                    "option", Path.of("--ttl-hours"), "must be in 1.." + TTL_HOURS_MAX + ", not " + ttlHours);
        }
        if (subject == null
                || subject.isBlank()
                || subject.length() > SUBJECT_LENGTH_MAX
                || subject.chars().anyMatch(Character::isISOControl)) {
            throw new InputFileException(
                    "option",
                    Path.of("--subject"),
                    "must be 1.." + SUBJECT_LENGTH_MAX + " characters without control characters");
        }
        if (issuer.isBlank() || issuer.length() > SUBJECT_LENGTH_MAX) {
            throw new InputFileException(
                    "option", Path.of("--issuer"), "must be 1.." + SUBJECT_LENGTH_MAX + " characters");
        }
    }

    private static int refuse(PrintWriter err, String message) {
        err.println("clearhouse token: " + message);
        err.flush();
        return BatchCommand.EXIT_BAD_INPUT;
    }
}
