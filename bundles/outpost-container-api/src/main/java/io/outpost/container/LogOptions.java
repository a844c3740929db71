package io.outpost.container;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which part of a container log to read: the last {@code tail} lines (empty: all), lines since an instant
 * (empty: from the start), and whether to keep following new lines.
 */
public record LogOptions(OptionalInt tail, Optional<Instant> since, boolean follow) {

    public static final LogOptions ALL = new LogOptions(OptionalInt.empty(), Optional.empty(), false);

    public LogOptions {
        Objects.requireNonNull(tail, "tail");
        Objects.requireNonNull(since, "since");
        if (tail.isPresent() && tail.getAsInt() < 0) {
            throw new IllegalArgumentException("tail must be >= 0, was " + tail.getAsInt());
        }
    }

    public LogOptions withTail(int lines) {
        return new LogOptions(OptionalInt.of(lines), since, follow);
    }

    public LogOptions withSince(Instant instant) {
        return new LogOptions(tail, Optional.of(instant), follow);
    }

    public LogOptions following() {
        return new LogOptions(tail, since, true);
    }
}
