package io.clearhouse.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * Reads a journal file at open and decides where its valid part ends.
 *
 * <p>A process that dies in the middle of a write leaves a prefix of that write: the last record is incomplete or,
 * after a power loss, its bytes may be garbage or zeros. Such a torn tail is dropped. A bad record is taken for a
 * torn tail only if no valid record can be found anywhere after it; a valid record after a bad one means the file
 * was damaged after it was written, and reading fails loudly with the offset of the bad record instead of silently
 * losing what follows. A power loss that writes the pages of one group out of order can produce that second shape
 * too; it then needs an operator, which is the safe outcome for a log whose records are promises.
 */
final class JournalReader {
    /** The valid records and the offset at which the valid part of the file ends. */
    record Scan(List<byte[]> records, long validEnd, boolean needsHeader) {}

    private final Path file;
    private final int recordBytesMax;

    JournalReader(Path file, int recordBytesMax) {
        this.file = file;
        this.recordBytesMax = recordBytesMax;
    }

    Scan scan(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new JournalException(file, "file of " + size + " bytes is larger than a journal may grow");
        }
        ByteBuffer content = readFully(channel, (int) size);
        if (size < Framing.FILE_HEADER_BYTES) {
            checkTornHeader(content);
            return new Scan(List.of(), 0, true);
        }
        checkHeader(content);
        return scanRecords(content);
    }

    private static ByteBuffer readFully(FileChannel channel, int size) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(size);
        while (content.hasRemaining()) {
            if (channel.read(content, content.position()) < 0) {
                break;
            }
        }
        return content.flip();
    }

    /** A file shorter than a header is a creation cut short, but only if what is there is the start of a header. */
    private void checkTornHeader(ByteBuffer content) {
        ByteBuffer header = Framing.fileHeader();
        for (int i = 0; i < content.limit(); i++) {
            if (content.get(i) != header.get(i)) {
                throw new JournalException(file, "not a journal file (short file with a foreign header)");
            }
        }
    }

    private void checkHeader(ByteBuffer content) {
        if (content.getInt(0) != Framing.MAGIC) {
            throw new JournalException(file, "not a journal file (bad magic number)");
        }
        int version = content.getInt(4);
        if (version != Framing.FORMAT_VERSION) {
            throw new JournalException(file, "unsupported journal format version " + version);
        }
    }

    private Scan scanRecords(ByteBuffer content) {
        RecoveredRecords records = new RecoveredRecords(content.array());
        int position = Framing.FILE_HEADER_BYTES;
        while (position < content.limit()) {
            int end = Framing.validRecordEnd(content, position, recordBytesMax);
            if (end < 0) {
                failIfValidRecordFollows(content, position);
                break;
            }
            records.add(position + Framing.RECORD_HEADER_BYTES, end);
            position = end;
        }
        return new Scan(Collections.unmodifiableList(records), position, false);
    }

    private void failIfValidRecordFollows(ByteBuffer content, int badPosition) {
        int lastCandidate = content.limit() - Framing.RECORD_HEADER_BYTES;
        for (int candidate = badPosition + 1; candidate <= lastCandidate; candidate++) {
            if (Framing.validRecordEnd(content, candidate, recordBytesMax) >= 0) {
                throw new JournalException(
                        file,
                        "corrupt record at offset " + badPosition + " followed by a valid record at offset " + candidate
                                + "; the file was damaged after it was written");
            }
        }
    }
}
