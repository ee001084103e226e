package io.clearhouse.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The file format. A file starts with a header (magic number, format version); each record follows as its payload
 * length (4 bytes), a CRC32C over the length bytes and the payload (4 bytes), and the payload. The length is part of
 * the checksum so that a damaged length is caught instead of steering the reader to a wrong place.
 */
final class Framing {
    static final int MAGIC = 0x434C4A52;
    static final int FORMAT_VERSION = 1;
    static final int FILE_HEADER_BYTES = 8;
    static final int RECORD_HEADER_BYTES = 8;
    static final int PAYLOAD_BYTES_LIMIT = Integer.MAX_VALUE - 64;

    private Framing() {}

    static ByteBuffer fileHeader() {
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_BYTES);
        header.putInt(MAGIC).putInt(FORMAT_VERSION).flip();
        return header;
    }

    /** Every append computes one, so it reads the array itself rather than through two buffers made for it. */
    static int checksum(byte[] payload) {
        CRC32C crc = lengthChecksum(payload.length);
        crc.update(payload, 0, payload.length);
        return (int) crc.getValue();
    }

    /** The checksum of the length field and of {@code length} payload bytes at {@code offset} in {@code buffer}. */
    static int checksum(ByteBuffer buffer, int offset, int length) {
        CRC32C crc = lengthChecksum(length);
        crc.update(buffer.duplicate().limit(offset + length).position(offset));
        return (int) crc.getValue();
    }

    private static CRC32C lengthChecksum(int length) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        return crc;
    }

    /**
     * The end offset of the valid record at {@code position}, or -1 if no complete record with a length within
     * {@code recordBytesMax} and a matching checksum starts there.
     */
    static int validRecordEnd(ByteBuffer file, int position, int recordBytesMax) {
        int limit = file.limit();
        if (limit - position < RECORD_HEADER_BYTES) {
            return -1;
        }
        int length = file.getInt(position);
        if (length < 0 || length > recordBytesMax || length > limit - position - RECORD_HEADER_BYTES) {
            return -1;
        }
        int payloadOffset = position + RECORD_HEADER_BYTES;
        if (checksum(file, payloadOffset, length) != file.getInt(position + 4)) {
            return -1;
        }
        return payloadOffset + length;
    }
}
