package io.clearhouse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
    @Test
    void makesThePrivateKeyReadableByItsOwnerOnly(@TempDir Path directory) throws IOException {
        SigningKeys keys = new SigningKeys(directory.resolve("auth"));

        keys.createIfMissing();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.privateKey())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(keys.publicKey())).startsWith("-----BEGIN PUBLIC KEY-----\n");
    }

    @Test
    void keepsThePairOfAnEarlierStart(@TempDir Path directory) throws IOException {
        SigningKeys keys = new SigningKeys(directory);
        keys.createIfMissing();
        String first = Files.readString(keys.publicKey());

        keys.createIfMissing();

        assertThat(Files.readString(keys.publicKey())).isEqualTo(first);
    }

    @Test
    void makesANewPairWhenThePublicHalfIsMissing(@TempDir Path directory) throws IOException {
        SigningKeys keys = new SigningKeys(directory);
        keys.createIfMissing();
        String first = Files.readString(keys.privateKey());
        Files.delete(keys.publicKey());

        keys.createIfMissing();

        assertThat(Files.readString(keys.privateKey())).isNotEqualTo(first);
        assertThat(keys.readPublicKey()).isNotNull();
    }

    @Test
    void readsAPublicKeyWithOrWithoutItsPemLines(@TempDir Path directory) throws IOException {
        SigningKeys keys = new SigningKeys(directory);
        keys.createIfMissing();
        String pem = Files.readString(keys.publicKey());
        String bare = pem.replaceAll("-----[A-Z ]+-----", "").replace("\n", "");

        assertThat(SigningKeys.parsePublicKey(bare)).isEqualTo(SigningKeys.parsePublicKey(pem));
        assertThatThrownBy(() -> SigningKeys.parsePublicKey("not a key")).isInstanceOf(IOException.class);
    }
}
