package io.clearhouse.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordBytesTest {
    private static final String[] TEXTS = {"", "t42", "bank-7/acct_0009", "Zürich-€-账户", "\u007f\u0080"};

    @Test
    void writesWhatADataOutputStreamWithUtf8TextWouldWrite() throws IOException {
        for (String text : TEXTS) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(expected)) {
                out.writeByte(7);
                out.writeInt(-123_456_789);
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
                out.writeLong(Long.MIN_VALUE + 42);
            }

            // A small guess makes the array grow on the way.
            RecordBytes written = new RecordBytes(1)
                    .writeByte(7)
                    .writeInt(-123_456_789)
                    .writeText(text, 1_000)
                    .writeLong(Long.MIN_VALUE + 42);

            assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void aRecordSizedExactlyComesOutAsTheArrayWrittenInto() {
        RecordBytes record = new RecordBytes(1 + RecordBytes.textBytes("t42") + Long.BYTES);
        record.writeByte(1).writeText("t42", 100).writeLong(5);

        assertThat(record.toByteArray()).hasSize(16).isSameAs(record.toByteArray());
    }

    @Test
    void textBytesAreExactForAsciiAndNeverTooFewOtherwise() {
        for (String text : TEXTS) {
            int utf8 = Integer.BYTES + text.getBytes(StandardCharsets.UTF_8).length;
            assertThat(RecordBytes.textBytes(text)).isGreaterThanOrEqualTo(utf8);
        }
        assertThat(RecordBytes.textBytes("bank-7")).isEqualTo(Integer.BYTES + 6);
    }

    @Test
    void textLongerThanTheLimitInUtf8IsRefused() {
        assertThatThrownBy(() -> new RecordBytes(8).writeText("abcd", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limited to 3 bytes; got 4");
        // Two characters, four bytes: the limit counts bytes.
        assertThatThrownBy(() -> new RecordBytes(8).writeText("éé", 3)).hasMessageContaining("got 4");
    }
}
