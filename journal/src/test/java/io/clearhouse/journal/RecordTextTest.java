package io.clearhouse.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordTextTest {
    @Test
    void asciiAndOtherTextAreTheirLengthThenTheirUtf8Bytes() throws IOException {
        for (String text : new String[] {"", "t42", "bank-7/acct_0009", "Zürich-€-账户", "\u007f\u0080"}) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            ByteBuffer written = ByteBuffer.wrap(written(text, 1_000));

            assertThat(written.getInt()).isEqualTo(utf8.length);
            byte[] rest = new byte[written.remaining()];
            written.get(rest);
            assertThat(rest).isEqualTo(utf8);
        }
    }

    @Test
    void textLongerThanTheLimitInUtf8IsRefused() {
        assertThatThrownBy(() -> written("abcd", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limited to 3 bytes; got 4");
        // Two characters, four bytes: the limit counts bytes.
        assertThatThrownBy(() -> written("éé", 3)).hasMessageContaining("got 4");
    }

    private static byte[] written(String text, int bytesMax) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            RecordText.write(out, text, bytesMax);
        }
        return bytes.toByteArray();
    }
}
