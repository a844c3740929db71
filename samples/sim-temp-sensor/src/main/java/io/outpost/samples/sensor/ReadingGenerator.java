package io.outpost.samples.sensor;

import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Simulates a machine that warms up from {@value #MACHINE_MIN} to {@value #MACHINE_MAX} degrees, a little each
 * reading, then cools down to the minimum and starts again; its pressure follows its temperature. The ambient air
 * stays near 21 degrees and 25 % humidity. Values are rounded to two decimals.
 */
public final class ReadingGenerator {

    static final double MACHINE_MIN = 21;
    static final double MACHINE_MAX = 100;
    static final double PRESSURE_MIN = 1;
    static final double PRESSURE_MAX = 10;

    private final RandomGenerator random;
    private final Clock clock;
    private double machineTemperature = MACHINE_MIN;

    public ReadingGenerator(RandomGenerator random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    public synchronized Reading next() {
        double t = machineTemperature;
        double pressure = PRESSURE_MIN + (t - MACHINE_MIN) * (PRESSURE_MAX - PRESSURE_MIN) / (MACHINE_MAX - MACHINE_MIN);
        Reading reading = new Reading(round(t), round(pressure), round(21 + random.nextDouble(-0.5, 0.5)),
                round(25 + random.nextDouble(-1, 1)), clock.instant());
        machineTemperature += random.nextDouble(0.5, 1.5);
        if (machineTemperature > MACHINE_MAX) {
            machineTemperature = MACHINE_MIN;
        }
        return reading;
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
