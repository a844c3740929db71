package io.outpost.samples.sensor;

import java.time.Duration;
import java.util.Optional;

/**
 * The sensor's state: its settings and how many readings it has sent. {@link #next()} hands out the next reading
 * while the settings allow it; {@link #awaitNextTurn()} waits one {@code SendInterval}, or less when the settings
 * change, so a desired patch takes effect at once.
 */
public final class Sensor {

    private final ReadingGenerator generator;
    private SensorSettings settings;
    private long sent;
    private long changes;

    public Sensor(ReadingGenerator generator, SensorSettings settings) {
        this.generator = generator;
        this.settings = settings;
    }

    public synchronized Optional<Reading> next() {
        if (!canSend()) {
            return Optional.empty();
        }
        sent++;
        return Optional.of(generator.next());
    }

    public synchronized boolean canSend() {
        return settings.sendData() && (settings.unlimited() || sent < settings.messageCount());
    }

    public synchronized long sent() {
        return sent;
    }

    public synchronized SensorSettings settings() {
        return settings;
    }

    /** Applies new settings; returns whether they differ from the current ones. */
    public synchronized boolean apply(SensorSettings updated) {
        if (updated.equals(settings)) {
            return false;
        }
        settings = updated;
        changes++;
        notifyAll();
        return true;
    }

    /** Waits for the next turn to send: one interval, or until the settings change. */
    public synchronized void awaitNextTurn() throws InterruptedException {
        long seen = changes;
        long deadline = System.nanoTime() + settings.sendInterval().toNanos();
        while (changes == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Duration d = Duration.ofNanos(left);
            wait(Math.max(1, d.toMillis()));
        }
    }
}
