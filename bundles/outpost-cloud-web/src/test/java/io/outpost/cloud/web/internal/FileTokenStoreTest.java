package io.outpost.cloud.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.cloud.web.ApiToken;
import io.outpost.cloud.web.IssuedToken;
import io.outpost.cloud.web.TokenScope;
import io.outpost.common.SystemClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreTest {

    @TempDir
    Path dir;

    @Test
    void givenFirstStart_whenInitialized_thenAdminTokenWrittenPrivatelyAndOnlyItsHashStored() throws Exception {
        Path tokensFile = dir.resolve("etc/outpost-cloud.tokens");
        Path tokenFile = dir.resolve("etc/outpost-cloud.token");
        FileTokenStore store = new FileTokenStore(tokensFile, SystemClock.INSTANCE);

        assertThat(store.initialize(tokenFile)).isTrue();

        String bearer = Files.readString(tokenFile).strip();
        assertThat(bearer).matches("[0-9a-f]{12}\\.[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokensFile))).isEqualTo("rw-------");
        String stored = Files.readString(tokensFile);
        assertThat(stored).doesNotContain(bearer.substring(13));
        assertThat(stored).contains(HexFormat.of().formatHex(FileTokenStore.sha256(bearer)));
        assertThat(store.authenticate(bearer).map(ApiToken::scope)).contains(TokenScope.ADMIN);

        // a second start keeps the tokens and issues nothing
        FileTokenStore again = new FileTokenStore(tokensFile, SystemClock.INSTANCE);
        assertThat(again.initialize(tokenFile)).isFalse();
        assertThat(again.list()).hasSize(1);
        assertThat(again.authenticate(bearer)).isPresent();
    }

    @Test
    void givenTokens_whenRevokedOrFileEdited_thenRefused() throws Exception {
        Path tokensFile = dir.resolve("tokens");
        FileTokenStore store = new FileTokenStore(tokensFile, SystemClock.INSTANCE);
        IssuedToken read = store.create(TokenScope.READ, "dashboard\nwall");
        IssuedToken admin = store.create(TokenScope.ADMIN, "ci");
        assertThat(read.toString()).doesNotContain(read.bearer());
        assertThat(store.list()).extracting(ApiToken::description).contains("dashboard wall", "ci");

        assertThat(store.revoke(read.token().id())).isTrue();
        assertThat(store.revoke(read.token().id())).isFalse();
        assertThat(store.authenticate(read.bearer())).isEmpty();

        // another process removes the admin line: the store reads the file again
        String without = Files.readAllLines(tokensFile).stream().filter(l -> !l.startsWith(admin.token().id()))
                .reduce("", (a, b) -> a + b + "\n") + "# edited\n";
        Files.writeString(tokensFile, without);
        assertThat(store.authenticate(admin.bearer())).isEmpty();
        assertThat(store.authenticate("not-a-token")).isEmpty();
        assertThat(store.authenticate(null)).isEmpty();
    }
}
