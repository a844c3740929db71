package io.outpost.iothub.auth;

import java.util.Objects;

/**
 * Why a client was refused: for the host's log, never sent to the client.
 *
 * @param code   a stable code ({@link Refusals})
 * @param detail what was expected, for an operator; never holds the token or a key
 */
public record Refusal(String code, String detail) implements Decision {

    public Refusal {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
    }
}
