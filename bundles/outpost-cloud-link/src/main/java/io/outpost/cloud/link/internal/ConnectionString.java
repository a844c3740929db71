package io.outpost.cloud.link.internal;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An IoT Hub device connection string: {@code HostName=<hub>;DeviceId=<device>;SharedAccessKey=<base64 key>}, or,
 * for a device that authenticates with its X.509 certificate ({@code auth = x509}), {@code HostName=<hub>;
 * DeviceId=<device>} (optionally with {@code x509=true}, as Azure's SDKs write it), whose key is then empty. The
 * host name is the name the cloud knows itself by (tokens are issued for it, user names start with it); where the
 * link connects is set apart ({@code cloudHost}).
 */
record ConnectionString(String hostName, String deviceId, String sharedAccessKey) {

    ConnectionString {
        require(hostName, "HostName");
        require(deviceId, "DeviceId");
        if (sharedAccessKey == null) {
            sharedAccessKey = "";
        }
        if (deviceId.contains("/")) {
            throw new IllegalArgumentException("connectionString: DeviceId must not contain '/': " + deviceId);
        }
        if (!sharedAccessKey.isEmpty()) {
            checkKey(sharedAccessKey);
        }
    }

    /** Whether this is the X.509 form (no key). */
    boolean x509() {
        return sharedAccessKey.isEmpty();
    }

    /** Reads the SAS form: {@code Name=value} pairs separated by {@code ;}; names are case-insensitive. */
    static ConnectionString parse(String text) {
        Map<String, String> fields = fields(text);
        if (fields.containsKey("x509")) {
            throw new IllegalArgumentException("connectionString: x509 is set, but auth is sas: set auth = x509 "
                    + "(with certificate and privateKey) or give SharedAccessKey");
        }
        require(fields.get("sharedaccesskey"), "SharedAccessKey");
        return new ConnectionString(fields.get("hostname"), fields.get("deviceid"), fields.get("sharedaccesskey"));
    }

    /** Reads the X.509 form: HostName and DeviceId, {@code x509=true} allowed, no key. */
    static ConnectionString parseX509(String text) {
        Map<String, String> fields = fields(text);
        if (fields.containsKey("sharedaccesskey")) {
            throw new IllegalArgumentException("connectionString: SharedAccessKey is not used with auth = x509; "
                    + "remove it (HostName=<hub>;DeviceId=<device>)");
        }
        String x509 = fields.get("x509");
        if (x509 != null && !x509.equalsIgnoreCase("true")) {
            throw new IllegalArgumentException("connectionString: x509 must be true (or left out) with auth = x509: "
                    + x509);
        }
        return new ConnectionString(fields.get("hostname"), fields.get("deviceid"), "");
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : text.trim().split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("connectionString: '" + redact(part) + "' is not Name=value");
            }
            fields.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        if (fields.containsKey("moduleid")) {
            throw new IllegalArgumentException("connectionString: ModuleId is not allowed; the link speaks for a device");
        }
        return fields;
    }

    private static void checkKey(String key) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("connectionString: SharedAccessKey is not base64");
        }
        if (decoded.length < 16) {
            throw new IllegalArgumentException("connectionString: SharedAccessKey must be base64 of at least 16 bytes");
        }
    }

    private static void require(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("connectionString: " + name + " is missing");
        }
    }

    private static String redact(String part) {
        return part.toLowerCase(Locale.ROOT).startsWith("sharedaccesskey") ? "SharedAccessKey..." : part;
    }

    @Override
    public String toString() {
        return "ConnectionString[HostName=" + hostName + ";DeviceId=" + deviceId
                + (x509() ? ";x509=true]" : ";SharedAccessKey=hidden]");
    }
}
