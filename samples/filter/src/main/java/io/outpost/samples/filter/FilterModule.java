package io.outpost.samples.filter;

import com.google.gson.JsonObject;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.MessageProperty;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodPayload;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import io.outpost.samples.support.DesiredProperties;
import io.outpost.samples.support.ModuleHost;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter module: receives readings on input {@value #INPUT} and forwards those above
 * {@code TemperatureThreshold} (module twin, default {@value #DEFAULT_THRESHOLD}) to output {@value #OUTPUT} with
 * the application property {@code MessageType=Alert}. Its direct method {@code reset} resets its counters.
 */
public final class FilterModule {

    static final String INPUT = "input1";
    static final String OUTPUT = "output1";
    static final double DEFAULT_THRESHOLD = 25;
    private static final Logger LOG = LoggerFactory.getLogger(FilterModule.class);

    private final TemperatureFilter filter;
    private ModuleHost host;

    FilterModule(TemperatureFilter filter) {
        this.filter = filter;
    }

    public static void main(String[] args) throws InterruptedException {
        FilterModule module = new FilterModule(new TemperatureFilter(DEFAULT_THRESHOLD));
        // start runs again with the new client after a reconnect
        module.host = ModuleHost.start(module::start);
        module.host.runUntilStopped(() -> { });
    }

    private void start(ModuleClient client) {
        client.setMessageCallback(INPUT, (message, ctx) -> onReading(message), null);
        try {
            client.subscribeToMethods((name, payload, ctx) -> onMethod(name, payload), null);
        } catch (Exception e) {
            interruptIfNeeded(e);
            LOG.warn("methods-unavailable error=\"{}\"", ModuleHost.describe(e));
        }
        try {
            client.subscribeToDesiredProperties((Twin twin, Object ctx) -> apply(twin.getDesiredProperties(), "patch"),
                    null);
            apply(ModuleHost.twin(client).getDesiredProperties(), "twin");
        } catch (Exception e) {
            interruptIfNeeded(e);
            LOG.warn("twin-unavailable threshold={} error=\"{}\"", filter.threshold(), ModuleHost.describe(e));
        }
        LOG.info("filter-started input={} output={} threshold={}", INPUT, OUTPUT, filter.threshold());
    }

    private void apply(Map<String, Object> desired, String source) {
        DesiredProperties properties = DesiredProperties.of(desired);
        properties.number("TemperatureThreshold", -1000, 1000).ifPresent(t -> {
            if (t != filter.threshold()) {
                filter.threshold(t);
                LOG.info("settings-changed source={} temperatureThreshold={}", source, t);
            }
        });
        properties.problems().forEach(p -> LOG.warn("desired-property-invalid source={} problem=\"{}\"", source, p));
    }

    private IotHubMessageResult onReading(Message message) {
        TemperatureFilter.Decision d = filter.decide(message.getBytes());
        switch (d.kind()) {
            case INVALID -> {
                LOG.warn("reading-invalid messageId={} reason=\"{}\"", message.getMessageId(), d.reason());
                // acknowledged all the same: a message that cannot be read will not become readable later
                return IotHubMessageResult.COMPLETE;
            }
            case DROP -> {
                return IotHubMessageResult.COMPLETE;
            }
            default -> {
                forward(message, d.temperature());
                return IotHubMessageResult.COMPLETE;
            }
        }
    }

    private void forward(Message reading, double temperature) {
        Message alert = new Message(reading.getBytes());
        for (MessageProperty p : reading.getProperties()) {
            alert.setProperty(p.getName(), p.getValue());
        }
        alert.setProperty("MessageType", "Alert");
        alert.setContentType("application/json");
        alert.setContentEncoding("utf-8");
        long forwarded = filter.counts().forwarded();
        host.send(alert, OUTPUT, (sent, error, ctx) -> {
            if (error != null) {
                LOG.warn("alert-send-failed temperature={} error=\"{}\"", temperature, ModuleHost.describe(error));
            } else if (forwarded == 1 || forwarded % 100 == 0) {
                LOG.info("alerts-forwarded count={} lastTemperature={}", forwarded, temperature);
            }
        });
    }

    DirectMethodResponse onMethod(String name, DirectMethodPayload payload) {
        if (!"reset".equals(name)) {
            JsonObject error = new JsonObject();
            error.addProperty("message", "unknown method '" + name + "'; this module answers: reset");
            return new DirectMethodResponse(404, error);
        }
        TemperatureFilter.Counts before = filter.reset();
        LOG.info("counters-reset received={} forwarded={} invalid={}", before.received(), before.forwarded(),
                before.invalid());
        return new DirectMethodResponse(200, resetAnswer(before));
    }

    static JsonObject resetAnswer(TemperatureFilter.Counts before) {
        JsonObject answer = new JsonObject();
        answer.addProperty("reset", true);
        answer.addProperty("received", before.received());
        answer.addProperty("forwarded", before.forwarded());
        answer.addProperty("invalid", before.invalid());
        return answer;
    }

    private static void interruptIfNeeded(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }
}
