package io.outpost.samples.sensor;

import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import io.outpost.samples.support.DesiredProperties;
import io.outpost.samples.support.ModuleHost;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated temperature sensor module: sends a {@link Reading} on output {@value #OUTPUT} every
 * {@code SendInterval} seconds until {@code MessageCount} readings are sent, as its module twin's desired properties
 * say (read at start and followed as they change).
 */
public final class SensorModule {

    static final String OUTPUT = "temperatureOutput";
    private static final Logger LOG = LoggerFactory.getLogger(SensorModule.class);

    private final Sensor sensor;
    private ModuleHost host;

    SensorModule(Sensor sensor) {
        this.sensor = sensor;
    }

    public static void main(String[] args) throws InterruptedException {
        SensorSettings initial = SensorSettings.fromEnvironment(System.getenv("MessageCount"));
        Sensor sensor = new Sensor(new ReadingGenerator(new SecureRandom(), Clock.systemUTC()), initial);
        SensorModule module = new SensorModule(sensor);
        // followTwin runs again with the new client after a reconnect
        module.host = ModuleHost.start(module::followTwin);
        Thread loop = new Thread(module::sendLoop, "sensor-send");
        loop.setDaemon(true);
        loop.start();
        module.host.runUntilStopped(loop::interrupt);
    }

    private void followTwin(ModuleClient client) {
        try {
            client.subscribeToDesiredProperties((Twin twin, Object ctx) -> apply(twin.getDesiredProperties(), "patch"),
                    null);
            apply(ModuleHost.twin(client).getDesiredProperties(), "twin");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("twin-unavailable settings={} error=\"{}\"", sensor.settings(), ModuleHost.describe(e));
        }
    }

    private void apply(Map<String, Object> desired, String source) {
        DesiredProperties properties = DesiredProperties.of(desired);
        SensorSettings updated = sensor.settings().with(properties);
        properties.problems().forEach(p -> LOG.warn("desired-property-invalid source={} problem=\"{}\"", source, p));
        if (sensor.apply(updated)) {
            LOG.info("settings-changed source={} sendInterval={} sendData={} messageCount={}", source,
                    updated.sendInterval(), updated.sendData(), updated.messageCount());
        }
    }

    private void sendLoop() {
        boolean announcedDone = false;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                var reading = sensor.next();
                if (reading.isPresent()) {
                    send(reading.get(), sensor.sent());
                    announcedDone = false;
                } else if (!announcedDone) {
                    LOG.info("sending-paused sent={} sendData={} messageCount={}", sensor.sent(),
                            sensor.settings().sendData(), sensor.settings().messageCount());
                    announcedDone = true;
                }
                sensor.awaitNextTurn();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(Reading reading, long sequence) {
        Message message = new Message(reading.toJson().getBytes(StandardCharsets.UTF_8));
        message.setContentType("application/json");
        message.setContentEncoding("utf-8");
        message.setProperty("sequenceNumber", Long.toString(sequence));
        host.send(message, OUTPUT, (sent, error, ctx) -> {
            if (error != null) {
                LOG.warn("reading-send-failed sequence={} error=\"{}\"", sequence, ModuleHost.describe(error));
            } else if (sequence == 1 || sequence % 100 == 0) {
                LOG.info("readings-sent count={}", sequence);
            }
        });
    }
}
