package io.outpost.hub;

import java.util.Locale;

/** What an endpoint queue does with a new message when it would exceed its byte quota. */
public enum FullPolicy {
    /** The sender gets a {@link HubErrorCode#STORE_FULL} error; nothing already accepted is lost. */
    REJECT("reject"),
    /**
     * The oldest messages of the lowest priority present are removed (counted as dropped) until the new
     * message fits. Messages of a higher priority than the new one are never removed for it: if only those
     * would make room, the new message is refused as under {@link #REJECT}.
     */
    DROP_OLDEST("drop-oldest");

    private final String configValue;

    FullPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The name used in configuration ({@code reject}, {@code drop-oldest}). */
    public String configValue() {
        return configValue;
    }

    /** Parses a configuration value; case and {@code _}/{@code -} do not matter. */
    public static FullPolicy parse(String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (FullPolicy p : values()) {
            if (p.configValue.equals(normalized)) {
                return p;
            }
        }
        throw new IllegalArgumentException("full policy must be reject or drop-oldest: " + value);
    }
}
