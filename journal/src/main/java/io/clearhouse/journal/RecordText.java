package io.clearhouse.journal;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Text in a record as the codecs on the journal store it: an int length, then the UTF-8 bytes (DataOutput's own form
 * caps a string at 65,535 bytes). Ids and account names are nearly always ASCII, whose UTF-8 bytes are its chars, so
 * such text is written char by char instead of through a byte array made for every string of every record.
 */
public final class RecordText {
    private RecordText() {}

    /**
     * @throws IllegalArgumentException if the text's UTF-8 form is longer than {@code bytesMax}
     */
    public static void write(DataOutput out, String text, int bytesMax) throws IOException {
        if (isAscii(text)) {
            checkLength(text.length(), bytesMax);
            out.writeInt(text.length());
            out.writeBytes(text);
            return;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        checkLength(utf8.length, bytesMax);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static void checkLength(int bytes, int bytesMax) {
        if (bytes > bytesMax) {
            throw new IllegalArgumentException("a record's text is limited to " + bytesMax + " bytes; got " + bytes);
        }
    }
}
