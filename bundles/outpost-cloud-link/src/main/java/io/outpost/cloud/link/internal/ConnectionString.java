package io.outpost.cloud.link.internal;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An IoT Hub device connection string: {@code HostName=<hub>;DeviceId=<device>;SharedAccessKey=<base64 key>}. The
 * host name is the name tokens are issued for; where the link connects is set apart ({@code cloudHost}).
 */
record ConnectionString(String hostName, String deviceId, String sharedAccessKey) {

    ConnectionString {
        require(hostName, "HostName");
        require(deviceId, "DeviceId");
        require(sharedAccessKey, "SharedAccessKey");
        if (deviceId.contains("/")) {
            throw new IllegalArgumentException("connectionString: DeviceId must not contain '/': " + deviceId);
        }
        try {
            if (Base64.getDecoder().decode(sharedAccessKey).length < 16) {
                throw new IllegalArgumentException("connectionString: SharedAccessKey must be base64 of at least 16 bytes");
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("connectionString")) {
                throw e;
            }
            throw new IllegalArgumentException("connectionString: SharedAccessKey is not base64");
        }
    }

    /** Reads {@code Name=value} pairs separated by {@code ;}; names are case-insensitive. */
    static ConnectionString parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : text.trim().split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("connectionString: '" + redact(part) + "' is not Name=value");
            }
            fields.put(part.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), part.substring(eq + 1).trim());
        }
        if (fields.containsKey("moduleid")) {
            throw new IllegalArgumentException("connectionString: ModuleId is not allowed; the link speaks for a device");
        }
        if (fields.containsKey("x509")) {
            throw new IllegalArgumentException("connectionString: x509 is not supported; give SharedAccessKey");
        }
        return new ConnectionString(fields.get("hostname"), fields.get("deviceid"), fields.get("sharedaccesskey"));
    }

    private static void require(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("connectionString: " + name + " is missing");
        }
    }

    private static String redact(String part) {
        return part.toLowerCase(java.util.Locale.ROOT).startsWith("sharedaccesskey") ? "SharedAccessKey..." : part;
    }

    @Override
    public String toString() {
        return "ConnectionString[HostName=" + hostName + ";DeviceId=" + deviceId + ";SharedAccessKey=hidden]";
    }
}
