package io.outpost.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.OutpostException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SasTokenTest {

    /** A token made by the Python generator of IoT Hub's documentation (quote_plus, HMAC-SHA256, urlencode). */
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String PYTHON_TOKEN = "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fdev1"
            + "%2Fmodules%2Ffilter&sig=90WT6QoRoniosVl2Fw3fPFnTlw%2B9NgvSmhuD8j32dPo%3D&se=1893456000";
    private static final String RESOURCE = "myhub.azure-devices.net/devices/dev1/modules/filter";
    private static final Instant BEFORE_EXPIRY = Instant.ofEpochSecond(1893455999);

    @Test
    void givenTokenFromAzureDocsGenerator_whenVerified_thenAccepted() {
        SasToken token = SasToken.parse(PYTHON_TOKEN);

        token.verify(RESOURCE, KEY, BEFORE_EXPIRY);
        assertThat(token.resource()).isEqualTo(RESOURCE);
        assertThat(token.expiry()).isEqualTo(Instant.ofEpochSecond(1893456000));
    }

    @Test
    void givenSameInputs_whenCreated_thenIdenticalToTheDocsGenerator() {
        assertThat(SasToken.create(RESOURCE, KEY, Instant.ofEpochSecond(1893456000))).isEqualTo(PYTHON_TOKEN);
    }

    @Test
    void givenOtherKey_whenVerified_thenSignatureRefused() {
        String otherKey = "BAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

        assertThatThrownBy(() -> SasToken.parse(PYTHON_TOKEN).verify(RESOURCE, otherKey, BEFORE_EXPIRY))
                .isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(PkiErrorCode.TOKEN_SIGNATURE));
    }

    @Test
    void givenTokenOfOneModule_whenPresentedForAnother_thenResourceRefused() {
        assertThatThrownBy(() -> SasToken.parse(PYTHON_TOKEN).verify(
                "myhub.azure-devices.net/devices/dev1/modules/sensor", KEY, BEFORE_EXPIRY))
                .isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(PkiErrorCode.TOKEN_RESOURCE))
                .hasMessageContaining("modules/filter").hasMessageContaining("modules/sensor");
    }

    @Test
    void givenDeviceScopedToken_whenPresentedForItsModule_thenAcceptedAsIoTHubDoes() {
        String token = SasToken.create("myhub/devices/dev1", KEY, Instant.ofEpochSecond(2_000_000_000));

        SasToken.parse(token).verify("myhub/devices/dev1/modules/filter", KEY, BEFORE_EXPIRY);
        assertThatThrownBy(() -> SasToken.parse(token).verify("myhub/devices/dev10", KEY, BEFORE_EXPIRY))
                .isInstanceOf(OutpostException.class);
    }

    @Test
    void givenExpiredToken_whenVerified_thenExpiryRefused() {
        assertThatThrownBy(() -> SasToken.parse(PYTHON_TOKEN).verify(RESOURCE, KEY, Instant.ofEpochSecond(1893456000)))
                .isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(PkiErrorCode.TOKEN_EXPIRED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Bearer abc | starts with 'SharedAccessSignature '",
        "SharedAccessSignature sig=abc&se=1 | field 'sr' is missing",
        "SharedAccessSignature sr=a&se=1 | field 'sig' is missing",
        "SharedAccessSignature sr=a&sig=b | field 'se' is missing",
        "SharedAccessSignature sr=a&sig=b&se=soon | se must be the expiry in seconds",
        "SharedAccessSignature sr=a&sigb&se=1 | 'sigb' is not name=value",
        "SharedAccessSignature sr=a&sig=b&se=99999999999999999 | se is beyond the representable time",
        "SharedAccessSignature sr=a&sig=%zz&se=1 | field 'sig' is not url-encoded",
        "SharedAccessSignature sr=a%2&sig=b&se=1 | field 'sr' is not url-encoded"
    })
    void givenMalformedToken_whenParsed_thenErrorSaysWhatIsWrong(String token, String message) {
        assertThatThrownBy(() -> SasToken.parse(token))
                .isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(PkiErrorCode.TOKEN_MALFORMED))
                .hasMessageContaining(message);
    }
}
