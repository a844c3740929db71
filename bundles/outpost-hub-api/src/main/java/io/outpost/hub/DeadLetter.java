package io.outpost.hub;

import java.time.Instant;
import java.util.Objects;

/** A message that its endpoint rejected as invalid, set aside with the reason it gave. */
public record DeadLetter(StoredMessage message, String reason, Instant deadLetteredAt) {

    public DeadLetter {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
    }
}
