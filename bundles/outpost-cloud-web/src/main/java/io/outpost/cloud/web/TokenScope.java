package io.outpost.cloud.web;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.common.OutpostException;
import java.util.Locale;

/** What an API token may do: {@code read} (GET only) or {@code admin} (everything). */
public enum TokenScope {
    READ,
    ADMIN;

    /** The name written in the tokens file and accepted by the shell: {@code read} or {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a token with this scope may do what {@code required} demands. */
    public boolean allows(TokenScope required) {
        return this == ADMIN || required == READ;
    }

    public static TokenScope parse(String text) {
        for (TokenScope s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT,
                "invalid token scope '" + text + "': expected read or admin");
    }
}
