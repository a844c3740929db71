package io.outpost.container;

import java.util.Locale;

/** A container's state as the engine reports it. */
public enum ContainerState {
    CREATED,
    RUNNING,
    PAUSED,
    RESTARTING,
    REMOVING,
    EXITED,
    DEAD,
    /** A state this version of Outpost does not know. */
    UNKNOWN;

    /** Maps the engine's word ({@code running}, {@code exited}, ...) to a state; unknown words give {@link #UNKNOWN}. */
    public static ContainerState fromEngine(String status) {
        if (status == null || status.isBlank()) {
            return UNKNOWN;
        }
        try {
            return valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
