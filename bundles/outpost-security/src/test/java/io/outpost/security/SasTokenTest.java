package io.outpost.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.OutpostException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The security area's SAS token type over the PKI library's (whose own tests cover the token rules): same tokens,
 * failures under {@link SecurityErrorCode}.
 */
class SasTokenTest {

    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String RESOURCE = "myhub.azure-devices.net/devices/dev1/modules/filter";
    private static final Instant EXPIRY = Instant.ofEpochSecond(1893456000);

    @Test
    void givenTokenCreatedHere_whenCheckedByThePkiLibrary_thenTheyAgree() {
        String token = SasToken.create(RESOURCE, KEY, EXPIRY);

        assertThat(token).isEqualTo(io.outpost.pki.SasToken.create(RESOURCE, KEY, EXPIRY));
        SasToken parsed = SasToken.parse(token);
        parsed.verify(RESOURCE, KEY, EXPIRY.minusSeconds(1));
        assertThat(parsed.resource()).isEqualTo(RESOURCE);
        assertThat(parsed.expiry()).isEqualTo(EXPIRY);
        assertThat(SasToken.sign("text", KEY)).isEqualTo(io.outpost.pki.SasToken.sign("text", KEY));
    }

    @Test
    void givenEachKindOfBadToken_whenChecked_thenTheSecurityErrorCodeSaysWhich() {
        SasToken token = SasToken.parse(SasToken.create(RESOURCE, KEY, EXPIRY));

        assertThatThrownBy(() -> SasToken.parse("Bearer x")).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SecurityErrorCode.TOKEN_MALFORMED));
        assertThatThrownBy(() -> token.verify(RESOURCE, "BAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", EXPIRY
                .minusSeconds(1))).isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SecurityErrorCode.TOKEN_SIGNATURE));
        assertThatThrownBy(() -> token.verify(RESOURCE + "x", KEY, EXPIRY.minusSeconds(1)))
                .isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SecurityErrorCode.TOKEN_RESOURCE));
        assertThatThrownBy(() -> token.verify(RESOURCE, KEY, EXPIRY)).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SecurityErrorCode.TOKEN_EXPIRED));
        assertThatThrownBy(() -> SasToken.sign("text", "not base64!")).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SecurityErrorCode.CRYPTO_FAILED));
    }
}
