package io.outpost.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validity and chain checks on real certificates issued by real CAs ({@link CertificateAuthority}). */
class CertificateChecksTest {

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private final CertificateAuthority authority = new CertificateAuthority(clock);
    private final KeyedCertificate ca = authority.createCa("Test CA", Duration.ofDays(365));
    private final KeyedCertificate otherCa = authority.createCa("Other CA", Duration.ofDays(365));
    private final X509Certificate leaf = authority.issueClient(ca, "leaf-1", Duration.ofDays(30)).certificate();
    private final Instant notBefore = leaf.getNotBefore().toInstant();
    private final Instant notAfter = leaf.getNotAfter().toInstant();

    @Test
    void givenLeafSignedByTheCa_whenChecked_thenItChainsToIt() {
        assertThat(CertificateChecks.chainsTo(List.of(leaf), List.of(ca.certificate()), clock.now())).isTrue();
        assertThat(CertificateChecks.chainsTo(List.of(leaf, ca.certificate()), List.of(ca.certificate()), clock.now()))
                .as("a copy of the trusted CA sent along").isTrue();
        assertThat(CertificateChecks.chainsTo(List.of(leaf), List.of(otherCa.certificate(), ca.certificate()),
                clock.now())).as("one of several trusted CAs").isTrue();
    }

    @Test
    void givenLeafSignedByAnotherCa_whenChecked_thenItDoesNotChain() {
        X509Certificate foreign = authority.issueClient(otherCa, "leaf-1", Duration.ofDays(30)).certificate();
        KeyedCertificate sameName = authority.createCa("Test CA", Duration.ofDays(365));
        X509Certificate impostor = authority.issueClient(sameName, "leaf-1", Duration.ofDays(30)).certificate();

        assertThat(CertificateChecks.chainsTo(List.of(foreign), List.of(ca.certificate()), clock.now())).isFalse();
        assertThat(CertificateChecks.chainsTo(List.of(impostor), List.of(ca.certificate()), clock.now()))
                .as("a CA with the same name but another key").isFalse();
        assertThat(CertificateChecks.chainsTo(List.of(leaf), List.of(), clock.now())).isFalse();
        assertThat(CertificateChecks.chainsTo(List.of(), List.of(ca.certificate()), clock.now())).isFalse();
        assertThat(CertificateChecks.chainsTo(List.of(ca.certificate()), List.of(ca.certificate()), clock.now()))
                .as("the CA itself is no client").isFalse();
    }

    @Test
    void givenExpiredLeaf_whenChecked_thenNeitherValidNorChained() {
        Instant justAfter = notAfter.plusSeconds(1);

        assertThat(CertificateChecks.validAt(leaf, justAfter)).isFalse();
        assertThat(CertificateChecks.chainsTo(List.of(leaf), List.of(ca.certificate()), justAfter)).isFalse();
        assertThat(CertificateChecks.validAt(leaf, notAfter.plusMillis(1))).isFalse();
    }

    @Test
    void givenLeafNotYetValid_whenChecked_thenNeitherValidNorChained() {
        Instant justBefore = notBefore.minusSeconds(1);

        assertThat(CertificateChecks.validAt(leaf, justBefore)).isFalse();
        assertThat(CertificateChecks.chainsTo(List.of(leaf), List.of(ca.certificate()), justBefore)).isFalse();
    }

    @Test
    void givenExactlyTheValidityBounds_whenChecked_thenValidAsCheckValidityHasIt() throws Exception {
        assertThat(CertificateChecks.validAt(leaf, notAfter)).isTrue();
        assertThat(CertificateChecks.validAt(leaf, notBefore)).isTrue();
        assertThat(CertificateChecks.chainsTo(List.of(leaf), List.of(ca.certificate()), notAfter)).isTrue();
        assertThat(CertificateChecks.chainsTo(List.of(leaf), List.of(ca.certificate()), notBefore)).isTrue();
        // the JDK's own rule, which validAt follows: no exception at either bound
        leaf.checkValidity(java.util.Date.from(notAfter));
        leaf.checkValidity(java.util.Date.from(notBefore));
    }

    @Test
    void givenCertificates_whenNamesAndUsagesRead_thenCommonNameSansAndClientAuth() {
        KeyedCertificate server = authority.issueServer(ca, List.of("gw.local", "127.0.0.1"), Duration.ofDays(30));

        assertThat(CertificateChecks.commonName(leaf)).isEqualTo("leaf-1");
        assertThat(CertificateChecks.commonName(server.certificate())).isEqualTo("gw.local");
        assertThat(CertificateChecks.subjectAlternativeNames(server.certificate()))
                .containsExactly("gw.local", "127.0.0.1");
        assertThat(CertificateChecks.subjectAlternativeNames(leaf)).isEmpty();
        assertThat(CertificateChecks.clientAuthRefusal(leaf)).isEmpty();
        assertThat(CertificateChecks.clientAuthRefusal(server.certificate())).hasValueSatisfying(
                why -> assertThat(why).contains("serverAuth").contains(CertificateChecks.CLIENT_AUTH));
        assertThat(CertificateChecks.clientAuthRefusal(ca.certificate())).hasValueSatisfying(
                why -> assertThat(why).contains("no extended key usage"));
    }
}
