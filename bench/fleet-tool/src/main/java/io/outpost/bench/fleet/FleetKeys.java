package io.outpost.bench.fleet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Device ids and keys of the simulated fleet, derived as a group enrollment derives them: HMAC-SHA256(master, id). */
public final class FleetKeys {

    private FleetKeys() {
    }

    /** {@code PREFIX00001} for 1. */
    public static String deviceId(String prefix, int i) {
        return String.format("%s%05d", prefix, i);
    }

    /** The device's key (base64): HMAC-SHA256 of its id under the base64 master key. */
    public static String deviceKey(String masterKey, String deviceId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(masterKey), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(deviceId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
