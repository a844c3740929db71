package io.outpost.samples.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outpost.samples.support.DesiredProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SensorTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.125Z");

    private static ReadingGenerator generator(long seed) {
        return new ReadingGenerator(new Random(seed), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void givenReading_whenSerialized_thenAzureSimulatedTemperatureSensorShape() {
        JsonObject json = JsonParser.parseString(generator(1).next().toJson()).getAsJsonObject();

        assertThat(json.keySet()).containsExactlyInAnyOrder("machine", "ambient", "timeCreated");
        assertThat(json.getAsJsonObject("machine").keySet()).containsExactlyInAnyOrder("temperature", "pressure");
        assertThat(json.getAsJsonObject("ambient").keySet()).containsExactlyInAnyOrder("temperature", "humidity");
        assertThat(json.get("timeCreated").getAsString()).isEqualTo("2026-03-01T10:15:30.125Z");
        assertThat(json.getAsJsonObject("machine").get("temperature").getAsDouble()).isEqualTo(21.0);
        assertThat(json.getAsJsonObject("machine").get("pressure").getAsDouble()).isEqualTo(1.0);
    }

    @Test
    void givenManyReadings_whenGenerated_thenMachineWarmsUpWithinRangeAndCyclesBack() {
        ReadingGenerator g = generator(7);
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            readings.add(g.next());
        }

        assertThat(readings).allSatisfy(r -> {
            assertThat(r.machineTemperature()).isBetween(21.0, 100.0);
            assertThat(r.machinePressure()).isBetween(1.0, 10.0);
            assertThat(r.ambientTemperature()).isBetween(20.5, 21.5);
            assertThat(r.ambientHumidity()).isBetween(24.0, 26.0);
        });
        assertThat(readings.get(10).machineTemperature()).isGreaterThan(readings.get(0).machineTemperature());
        long restarts = 0;
        for (int i = 1; i < readings.size(); i++) {
            if (readings.get(i).machineTemperature() < readings.get(i - 1).machineTemperature()) {
                restarts++;
                assertThat(readings.get(i).machineTemperature()).isEqualTo(21.0);
            }
        }
        assertThat(restarts).as("400 readings of +0.5..1.5 degrees cross 21..100 several times").isBetween(3L, 8L);
        assertThat(readings).anySatisfy(r -> assertThat(r.machineTemperature()).isGreaterThan(25));
    }

    @Test
    void givenMessageCount_whenSending_thenStopsAfterCountAndResumesWhenRaised() {
        Sensor sensor = new Sensor(generator(3), new SensorSettings(Duration.ofMillis(10), true, 3));

        int sent = 0;
        while (sensor.next().isPresent()) {
            sent++;
        }
        assertThat(sent).isEqualTo(3);

        sensor.apply(sensor.settings().with(DesiredProperties.parse("{\"MessageCount\":5}")));
        assertThat(sensor.next()).isPresent();
        assertThat(sensor.next()).isPresent();
        assertThat(sensor.next()).isEmpty();
        assertThat(sensor.sent()).isEqualTo(5);
    }

    @Test
    void givenSendDataFalse_whenPatched_thenPausedUntilTrue() {
        Sensor sensor = new Sensor(generator(3), SensorSettings.DEFAULTS);

        sensor.apply(sensor.settings().with(DesiredProperties.parse("{\"SendData\":false}")));
        assertThat(sensor.next()).isEmpty();

        sensor.apply(sensor.settings().with(DesiredProperties.parse("{\"SendData\":true}")));
        assertThat(sensor.next()).isPresent();
    }

    @Test
    void givenNegativeMessageCount_whenSending_thenNoLimit() {
        Sensor sensor = new Sensor(generator(3), new SensorSettings(Duration.ofSeconds(1), true, -1));

        for (int i = 0; i < 1000; i++) {
            assertThat(sensor.next()).isPresent();
        }
    }

    @Test
    void givenDesiredPatch_whenApplied_thenOnlyNamedSettingsChangeAndBadOnesKeepTheirValue() {
        SensorSettings base = SensorSettings.DEFAULTS;

        DesiredProperties patch = DesiredProperties.parse("{\"SendInterval\":0.5,\"MessageCount\":\"lots\"}");
        SensorSettings changed = base.with(patch);

        assertThat(changed).isEqualTo(new SensorSettings(Duration.ofMillis(500), true, 500));
        assertThat(patch.problems()).containsExactly("desired property MessageCount: expected a number, got \"lots\"");
        assertThat(base.with(DesiredProperties.parse("{}"))).isEqualTo(base);
    }

    @Test
    void givenEnvironmentMessageCount_whenRead_thenDefaultCountChangesOrPreciseError() {
        assertThat(SensorSettings.fromEnvironment(null)).isEqualTo(SensorSettings.DEFAULTS);
        assertThat(SensorSettings.fromEnvironment("20").messageCount()).isEqualTo(20);
        assertThatThrownBy(() -> SensorSettings.fromEnvironment("x"))
                .hasMessage("environment variable MessageCount: expected a whole number, got 'x'");
    }

    @Test
    void givenSettingsChange_whenWaitingForNextTurn_thenWakesBeforeTheInterval() throws Exception {
        Sensor sensor = new Sensor(generator(3), new SensorSettings(Duration.ofHours(1), true, 10));
        Thread waiter = new Thread(() -> {
            try {
                sensor.awaitNextTurn();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }

        assertThat(sensor.apply(new SensorSettings(Duration.ofSeconds(1), true, 10))).isTrue();

        waiter.join(Duration.ofSeconds(10).toMillis());
        assertThat(waiter.isAlive()).isFalse();
        assertThat(sensor.apply(new SensorSettings(Duration.ofSeconds(1), true, 10))).as("no-op update").isFalse();
    }
}
