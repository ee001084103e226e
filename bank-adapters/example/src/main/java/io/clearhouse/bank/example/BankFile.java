package io.clearhouse.bank.example;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.Xid;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The bank's one file: the whole {@link BankState} as lines of text, replaced as a whole on every change. A change
 * is written to a temporary file beside it and forced to disk, renamed over the old file (a rename within a directory
 * is atomic), and the directory is forced so that the rename itself survives a crash. A reader therefore finds the
 * old state or the new one, never a mixture, and a state is durable once {@link #write} returns.
 *
 * <p>The format, one record a line, every name URL-encoded so that it holds no space:
 *
 * <pre>
 * clearhouse-example-bank 1
 * bank 1
 * account alice 900
 * account bob 100
 * prepared t-42 1 alice -50 bob 50
 * finished COMMITTED t-41 1
 * end 94934284
 * </pre>
 *
 * The last line is the CRC-32 of everything before it: the rename rules out a torn file, but not a file damaged
 * later or edited by hand, and a bank must not vote on balances it misread.
 */
final class BankFile {
    static final String HEADER = "clearhouse-example-bank 1";

    private final Path file;
    private final Path temporary;
    private long forcedWrites;

    BankFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    }

    Path path() {
        return file;
    }

    /** Forced writes so far: two per {@link #write}, the file's and its directory's. */
    long forcedWrites() {
        return forcedWrites;
    }

    /** The state the file holds, or empty when there is no file yet (a bank that has never run). */
    Optional<BankState> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(parse(lines));
    }

    /** Replaces the file with {@code state}; when this returns, the state survives a crash of the process or host. */
    void write(BankState state) throws IOException {
        Files.createDirectories(file.getParent());
        ByteBuffer bytes = ByteBuffer.wrap(format(state).getBytes(UTF_8));
        try (FileChannel channel = FileChannel.open(temporary, CREATE, TRUNCATE_EXISTING, WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, ATOMIC_MOVE, REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.getParent(), READ)) {
            directory.force(true);
        }
        forcedWrites += 2;
    }

    static String format(BankState state) {
        StringBuilder text = new StringBuilder();
        text.append(HEADER).append('\n');
        text.append("bank ").append(encode(state.bankId())).append('\n');
        state.posted().forEach((account, balance) -> text.append("account ")
                .append(encode(account))
                .append(' ')
                .append(balance)
                .append('\n'));
        state.prepared().forEach((xid, postings) -> {
            text.append("prepared ")
                    .append(encode(xid.transactionId()))
                    .append(' ')
                    .append(encode(xid.bankId()));
            for (Posting posting : postings) {
                text.append(' ').append(encode(posting.account())).append(' ').append(posting.amount());
            }
            text.append('\n');
        });
        state.finished().forEach((xid, outcome) -> text.append("finished ")
                .append(outcome)
                .append(' ')
                .append(encode(xid.transactionId()))
                .append(' ')
                .append(encode(xid.bankId()))
                .append('\n'));
        String checksum = checksum(text);
        text.append("end ").append(checksum).append('\n');
        return text.toString();
    }

    private BankState parse(List<String> lines) throws IOException {
        if (lines.size() < 3 || !lines.get(0).equals(HEADER)) {
            throw damaged("it does not start with '" + HEADER + "'");
        }
        String last = lines.get(lines.size() - 1);
        String body = String.join("\n", lines.subList(0, lines.size() - 1)) + "\n";
        if (!last.equals("end " + checksum(body))) {
            throw damaged("its checksum does not match its content (last line: '" + last + "')");
        }
        String[] bank = lines.get(1).split(" ");
        if (bank.length != 2 || !bank[0].equals("bank")) {
            throw damaged("line 2 does not name the bank");
        }
        Map<String, Long> posted = new LinkedHashMap<>();
        Map<Xid, List<Posting>> prepared = new LinkedHashMap<>();
        LinkedHashMap<Xid, BankState.Outcome> finished = new LinkedHashMap<>();
        for (int number = 3; number < lines.size(); number++) {
            String[] fields = lines.get(number - 1).split(" ");
            try {
                parseLine(fields, posted, prepared, finished);
            } catch (IllegalArgumentException e) {
                throw damaged("line " + number + ": " + e.getMessage());
            }
        }
        try {
            return new BankState(decode(bank[1]), posted, prepared, finished);
        } catch (IllegalStateException e) {
            throw damaged(e.getMessage());
        }
    }

    private static void parseLine(
            String[] fields,
            Map<String, Long> posted,
            Map<Xid, List<Posting>> prepared,
            Map<Xid, BankState.Outcome> finished) {
        switch (fields[0]) {
            case "account" -> {
                expect(fields.length == 3, "an account line has a name and a balance");
                posted.put(decode(fields[1]), Long.parseLong(fields[2]));
            }
            case "prepared" -> {
                expect(fields.length >= 5 && fields.length % 2 == 1, "a prepared line has an xid and postings");
                List<Posting> postings = new ArrayList<>();
                for (int field = 3; field < fields.length; field += 2) {
                    postings.add(new Posting(decode(fields[field]), Long.parseLong(fields[field + 1])));
                }
                prepared.put(new Xid(decode(fields[1]), decode(fields[2])), postings);
            }
            case "finished" -> {
                expect(fields.length == 4, "a finished line has an outcome and an xid");
                finished.put(new Xid(decode(fields[2]), decode(fields[3])), BankState.Outcome.valueOf(fields[1]));
            }
            default -> throw new IllegalArgumentException("unknown record '" + fields[0] + "'");
        }
    }

    private static void expect(boolean condition, String rule) {
        if (!condition) {
            throw new IllegalArgumentException(rule);
        }
    }

    private IOException damaged(String why) {
        return new IOException("the bank file " + file + " is damaged: " + why);
    }

    private static String checksum(CharSequence text) {
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(UTF_8));
        return String.format("%08x", crc.getValue());
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, UTF_8);
    }

    private static String decode(String field) {
        return URLDecoder.decode(field, UTF_8);
    }
}
