package io.outpost.security;

import io.outpost.common.ErrorCode;
import io.outpost.common.OutpostException;
import io.outpost.pki.PkiErrorCode;
import java.time.Instant;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An IoT Hub shared access signature: {@code SharedAccessSignature sr=<url-encoded resource>&sig=<url-encoded
 * base64 HMAC-SHA256>&se=<expiry, epoch seconds>[&skn=<policy>]}. The signed text is the url-encoded resource
 * as it appears in the token, a line feed, and the expiry; the key is the identity's base64 symmetric key.
 * Implemented by {@link io.outpost.pki.SasToken} (the edge and the cloud check tokens with that one class); this
 * type keeps the security area's API and error codes ({@link SecurityErrorCode}).
 *
 * @param encodedResource the {@code sr} field exactly as in the token (url-encoded)
 * @param signature the {@code sig} field, url-decoded (base64 text)
 * @param expiry the {@code se} field
 */
public record SasToken(String encodedResource, String signature, Instant expiry) {

    public SasToken {
        Objects.requireNonNull(encodedResource, "encodedResource");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(expiry, "expiry");
    }

    /** Signs a token for the resource (e.g. {@code myhub/devices/dev1/modules/filter}) valid until {@code expiry}. */
    public static String create(String resource, String base64Key, Instant expiry) {
        try {
            return io.outpost.pki.SasToken.create(resource, base64Key, expiry);
        } catch (OutpostException e) {
            throw translated(e);
        }
    }

    /**
     * A token whose signature someone else makes: {@code signer} gets the text to sign and answers the base64
     * HMAC-SHA256, as a module has the workload API sign with a key it never sees.
     */
    public static String create(String resource, Instant expiry, UnaryOperator<String> signer) {
        return io.outpost.pki.SasToken.create(resource, expiry, signer);
    }

    /** Reads a token; every malformed part is reported with what was expected. */
    public static SasToken parse(String token) {
        try {
            io.outpost.pki.SasToken t = io.outpost.pki.SasToken.parse(token);
            return new SasToken(t.encodedResource(), t.signature(), t.expiry());
        } catch (OutpostException e) {
            throw translated(e);
        }
    }

    /** The resource the token is for, url-decoded. */
    public String resource() {
        return pki().resource();
    }

    /**
     * Checks the token for an identity: the signature with its key, the resource (the identity's resource or a
     * resource below it, case-insensitive, as IoT Hub does), and the expiry.
     *
     * @throws OutpostException with {@link SecurityErrorCode#TOKEN_SIGNATURE}, {@code TOKEN_RESOURCE} or
     *     {@code TOKEN_EXPIRED}
     */
    public void verify(String expectedResource, String base64Key, Instant now) {
        try {
            pki().verify(expectedResource, base64Key, now);
        } catch (OutpostException e) {
            throw translated(e);
        }
    }

    /** HMAC-SHA256 of the text with the base64 key, as base64. */
    public static String sign(String text, String base64Key) {
        try {
            return io.outpost.pki.SasToken.sign(text, base64Key);
        } catch (OutpostException e) {
            throw translated(e);
        }
    }

    private io.outpost.pki.SasToken pki() {
        return new io.outpost.pki.SasToken(encodedResource, signature, expiry);
    }

    /** The same failure under the security area's code (the code texts are the same). */
    private static OutpostException translated(OutpostException e) {
        ErrorCode code = e.errorCode() instanceof PkiErrorCode p ? switch (p) {
            case TOKEN_MALFORMED -> SecurityErrorCode.TOKEN_MALFORMED;
            case TOKEN_SIGNATURE -> SecurityErrorCode.TOKEN_SIGNATURE;
            case TOKEN_RESOURCE -> SecurityErrorCode.TOKEN_RESOURCE;
            case TOKEN_EXPIRED -> SecurityErrorCode.TOKEN_EXPIRED;
            default -> SecurityErrorCode.CRYPTO_FAILED;
        } : e.errorCode();
        return new OutpostException(code, e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "SasToken[resource=" + resource() + ", expiry=" + expiry + "]";
    }
}
