package io.outpost.pki;

import io.outpost.common.OutpostException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An IoT Hub shared access signature: {@code SharedAccessSignature sr=<url-encoded resource>&sig=<url-encoded
 * base64 HMAC-SHA256>&se=<expiry, epoch seconds>[&skn=<policy>]}. The signed text is the url-encoded resource
 * as it appears in the token, a line feed, and the expiry; the key is the identity's base64 symmetric key. The
 * edge's hub and the cloud's device endpoint check tokens with this one class.
 *
 * @param encodedResource the {@code sr} field exactly as in the token (url-encoded)
 * @param signature the {@code sig} field, url-decoded (base64 text)
 * @param expiry the {@code se} field
 */
public record SasToken(String encodedResource, String signature, Instant expiry) {

    private static final String PREFIX = "SharedAccessSignature ";
    private static final int MAX_LENGTH = 4096;

    public SasToken {
        Objects.requireNonNull(encodedResource, "encodedResource");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(expiry, "expiry");
    }

    /** Signs a token for the resource (e.g. {@code myhub/devices/dev1/modules/filter}) valid until {@code expiry}. */
    public static String create(String resource, String base64Key, Instant expiry) {
        return create(resource, expiry, text -> sign(text, base64Key));
    }

    /**
     * A token whose signature someone else makes: {@code signer} gets the text to sign and answers the base64
     * HMAC-SHA256, as a module has the workload API sign with a key it never sees.
     */
    public static String create(String resource, Instant expiry, UnaryOperator<String> signer) {
        String sr = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        long se = expiry.getEpochSecond();
        String sig = signer.apply(sr + "\n" + se);
        return PREFIX + "sr=" + sr + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8) + "&se=" + se;
    }

    /**
     * Reads a token; every malformed part (also an {@code sr} or {@code sig} that is not url-encoded, or an
     * {@code se} beyond the representable time) is reported with what was expected, as
     * {@link PkiErrorCode#TOKEN_MALFORMED}.
     */
    public static SasToken parse(String token) {
        if (token == null || token.length() > MAX_LENGTH || !token.startsWith(PREFIX)) {
            throw malformed("a SAS token starts with 'SharedAccessSignature ' and is at most " + MAX_LENGTH
                    + " characters");
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : token.substring(PREFIX.length()).trim().split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw malformed("field '" + pair + "' is not name=value");
            }
            fields.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), pair.substring(eq + 1));
        }
        String sr = require(fields, "sr");
        urlDecoded(sr, "sr");
        String sig = urlDecoded(require(fields, "sig"), "sig");
        try {
            return new SasToken(sr, sig, Instant.ofEpochSecond(Long.parseLong(require(fields, "se"))));
        } catch (NumberFormatException e) {
            throw malformed("se must be the expiry in seconds since the epoch");
        } catch (DateTimeException e) {
            throw malformed("se is beyond the representable time");
        }
    }

    private static String urlDecoded(String value, String name) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed("field '" + name + "' is not url-encoded");
        }
    }

    /** The resource the token is for, url-decoded. */
    public String resource() {
        return URLDecoder.decode(encodedResource, StandardCharsets.UTF_8);
    }

    /**
     * Checks the token for an identity: the signature with its key, the resource (the identity's resource or a
     * resource below it, case-insensitive, as IoT Hub does), and the expiry.
     *
     * @throws OutpostException with {@link PkiErrorCode#TOKEN_SIGNATURE}, {@code TOKEN_RESOURCE} or
     *     {@code TOKEN_EXPIRED}
     */
    public void verify(String expectedResource, String base64Key, Instant now) {
        String expected = sign(encodedResource + "\n" + expiry.getEpochSecond(), base64Key);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new OutpostException(PkiErrorCode.TOKEN_SIGNATURE, "the token's signature does not match the key");
        }
        String resource = trimSlash(resource()).toLowerCase(Locale.ROOT);
        String wanted = trimSlash(expectedResource).toLowerCase(Locale.ROOT);
        if (!wanted.equals(resource) && !wanted.startsWith(resource + "/")) {
            throw new OutpostException(PkiErrorCode.TOKEN_RESOURCE,
                    "the token is for '" + resource() + "', not for '" + expectedResource + "'");
        }
        if (!now.isBefore(expiry)) {
            throw new OutpostException(PkiErrorCode.TOKEN_EXPIRED, "the token expired at " + expiry);
        }
    }

    /** HMAC-SHA256 of the text with the base64 key, as base64. */
    public static String sign(String text, String base64Key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new OutpostException(PkiErrorCode.CRYPTO_FAILED, "cannot sign with this key: " + e.getMessage(), e);
        }
    }

    private static String require(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw malformed("field '" + name + "' is missing");
        }
        return value;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static OutpostException malformed(String why) {
        return new OutpostException(PkiErrorCode.TOKEN_MALFORMED, "malformed SAS token: " + why);
    }

    @Override
    public String toString() {
        return "SasToken[resource=" + resource() + ", expiry=" + expiry + "]";
    }
}
