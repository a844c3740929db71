package io.outpost.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbprintsTest {

    @TempDir
    Path dir;

    private final CertificateAuthority authority = new CertificateAuthority(ManualClock.atEpochOf2026());
    private final X509Certificate leaf = authority.selfSignedClient("leaf-1", Duration.ofDays(30)).certificate();
    private final X509Certificate other = authority.selfSignedClient("leaf-1", Duration.ofDays(30)).certificate();

    @Test
    void givenCertificate_whenThumbprinted_thenTheDigestsOfItsDerEncodingInUpperCaseHex() throws Exception {
        assertThat(Thumbprints.sha1(leaf)).isEqualTo(HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(leaf.getEncoded()))).hasSize(40);
        assertThat(Thumbprints.sha256(leaf)).isEqualTo(HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()))).hasSize(64);
    }

    @Test
    void givenCertificateFile_whenOpensslFingerprintsIt_thenSameThumbprints() throws Exception {
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(leaf));

        assertThat(Thumbprints.sha1(leaf)).isEqualTo(fingerprint("-sha1"));
        assertThat(Thumbprints.sha256(leaf)).isEqualTo(fingerprint("-sha256"));
    }

    @Test
    void givenRegisteredThumbprint_whenMatched_thenSha1OrSha256InEitherCaseMatchesOnlyItsCertificate() {
        String sha1 = Thumbprints.sha1(leaf);
        String sha256 = Thumbprints.sha256(leaf);

        assertThat(Thumbprints.matches(leaf, sha1)).isTrue();
        assertThat(Thumbprints.matches(leaf, sha256)).isTrue();
        assertThat(Thumbprints.matches(leaf, sha1.toLowerCase(Locale.ROOT))).isTrue();
        assertThat(Thumbprints.matches(leaf, " " + sha256.toLowerCase(Locale.ROOT) + "\n")).isTrue();
        assertThat(Thumbprints.matches(other, sha1)).isFalse();
        assertThat(Thumbprints.matches(other, sha256)).isFalse();
        assertThat(Thumbprints.matches(leaf, sha256.substring(0, 50))).isFalse();
        assertThat(Thumbprints.matches(leaf, "")).isFalse();
        assertThat(Thumbprints.matches(leaf, null)).isFalse();
    }

    /** openssl's fingerprint ("sha1 Fingerprint=AB:CD:..."), without the colons. */
    private String fingerprint(String digest) throws Exception {
        String out = Openssl.run(dir, "x509", "-in", "leaf.pem", "-noout", "-fingerprint", digest).trim();
        assertThat(out).containsIgnoringCase("Fingerprint=");
        return out.substring(out.indexOf('=') + 1).replace(":", "").toUpperCase(Locale.ROOT);
    }
}
