package io.outpost.samples.sensor;

import io.outpost.samples.support.DesiredProperties;
import java.time.Duration;

/**
 * What the sensor's module twin controls, with the defaults of Azure's SimulatedTemperatureSensor.
 *
 * @param sendInterval {@code SendInterval}: seconds between readings (0.01 to 86400; default 5)
 * @param sendData {@code SendData}: whether to send at all (default true); false pauses the sensor
 * @param messageCount {@code MessageCount}: how many readings to send in all (default 500, or the environment
 *     variable {@code MessageCount}); a negative value sends without end
 */
public record SensorSettings(Duration sendInterval, boolean sendData, long messageCount) {

    public static final SensorSettings DEFAULTS = new SensorSettings(Duration.ofSeconds(5), true, 500);

    public SensorSettings {
        if (sendInterval.isNegative() || sendInterval.isZero()) {
            throw new IllegalArgumentException("SendInterval must be positive, got " + sendInterval);
        }
    }

    /** The defaults, with {@code MessageCount} from the environment variable of that name when it is a number. */
    public static SensorSettings fromEnvironment(String messageCountVariable) {
        if (messageCountVariable == null || messageCountVariable.isBlank()) {
            return DEFAULTS;
        }
        try {
            return new SensorSettings(DEFAULTS.sendInterval, DEFAULTS.sendData, Long.parseLong(messageCountVariable.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable MessageCount: expected a whole number, got '"
                    + messageCountVariable + "'", e);
        }
    }

    /** These settings changed by the properties a desired document or patch sets; the others are kept. */
    public SensorSettings with(DesiredProperties desired) {
        Duration interval = desired.number("SendInterval", 0.01, 86_400)
                .map(s -> Duration.ofNanos(Math.round(s * 1_000_000_000L))).orElse(sendInterval);
        boolean send = desired.bool("SendData").orElse(sendData);
        long count = desired.integer("MessageCount", Long.MIN_VALUE / 2, Long.MAX_VALUE / 2).orElse(messageCount);
        return new SensorSettings(interval, send, count);
    }

    public boolean unlimited() {
        return messageCount < 0;
    }
}
