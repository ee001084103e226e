package io.clearhouse.bench.floor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads TX.csv as bytes, all at once, and cuts it into physical lines at {@code \n}, {@code \r\n} or a lone {@code \r}
 * (no empty line after a final terminator). A line of ASCII bytes, nearly every line, is widened to characters
 * byte by byte; any other line is decoded as UTF-8 with U+FFFD for a sequence that is not UTF-8. Decoding a line at a
 * time gives the characters decoding the whole file would: a malformed sequence ends at the first ASCII byte, so no
 * sequence spans a line terminator.
 */
final class TransactionFile {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final byte[] bytes;
    private char[] characters = new char[256];

    private TransactionFile(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The whole file at {@code path}, read before anything is printed. */
    static TransactionFile read(Path path) throws UnusableInputException {
        try {
            return new TransactionFile(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new UnusableInputException("transactions " + path + ": no such file", e);
        } catch (IOException e) {
            throw new UnusableInputException("transactions " + path + ": cannot be read: " + e, e);
        }
    }

    /** Hands every physical line to {@code rules}, in order. */
    void forEachLine(LineRules rules) throws IOException {
        int lineNumber = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            boolean ascii = true;
            for (; end < bytes.length; end++) {
                byte b = bytes[end];
                if (b == '\n' || b == '\r') {
                    break;
                }
                ascii &= b >= 0;
            }
            int length = ascii ? widen(start, end) : decode(start, end);
            rules.accept(++lineNumber, characters, length);
            boolean crlf = end + 1 < bytes.length && bytes[end] == '\r' && bytes[end + 1] == '\n';
            start = end + (crlf ? 2 : 1);
        }
    }

    private int widen(int start, int end) {
        int length = end - start;
        ensureCharacters(length);
        for (int i = 0; i < length; i++) {
            characters[i] = (char) bytes[start + i];
        }
        return length;
    }

    /** UTF-8 never yields more characters than bytes, a replacement character included. */
    private int decode(int start, int end) {
        ensureCharacters(end - start);
        CharBuffer target = CharBuffer.wrap(characters);
        decoder.reset();
        CoderResult result = decoder.decode(ByteBuffer.wrap(bytes, start, end - start), target, true);
        if (result.isOverflow() || decoder.flush(target).isOverflow()) {
            throw new IllegalStateException("a line decoded to more characters than its bytes");
        }
        return target.position();
    }

    private void ensureCharacters(int length) {
        if (characters.length < length) {
            characters = new char[Math.max(length, characters.length * 2)];
        }
    }
}
