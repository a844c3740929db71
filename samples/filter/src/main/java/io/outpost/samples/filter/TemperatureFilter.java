package io.outpost.samples.filter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;

/**
 * Decides which readings are alerts: those whose {@code machine.temperature} is above the threshold. Counts what it
 * received and forwarded since it started or was last reset. Thread-safe.
 */
public final class TemperatureFilter {

    /** The outcome for one message; {@code reason} says why a message is invalid. */
    public record Decision(Kind kind, double temperature, String reason) {
        public enum Kind { FORWARD, DROP, INVALID }

        static Decision invalid(String reason) {
            return new Decision(Kind.INVALID, Double.NaN, reason);
        }
    }

    /** The counts before a reset. */
    public record Counts(long received, long forwarded, long invalid) {
    }

    private volatile double threshold;
    private long received;
    private long forwarded;
    private long invalid;

    public TemperatureFilter(double threshold) {
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    public void threshold(double value) {
        threshold = value;
    }

    public Decision decide(byte[] body) {
        Decision d = evaluate(body);
        synchronized (this) {
            received++;
            switch (d.kind()) {
                case FORWARD -> forwarded++;
                case INVALID -> invalid++;
                default -> { }
            }
        }
        return d;
    }

    /** Resets the counters and returns what they were. */
    public synchronized Counts reset() {
        Counts c = counts();
        received = 0;
        forwarded = 0;
        invalid = 0;
        return c;
    }

    public synchronized Counts counts() {
        return new Counts(received, forwarded, invalid);
    }

    private Decision evaluate(byte[] body) {
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return Decision.invalid("the body is not JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            return Decision.invalid("the body is not a JSON object");
        }
        JsonObject o = root.getAsJsonObject();
        JsonElement machine = o.get("machine");
        if (machine == null || !machine.isJsonObject()) {
            return Decision.invalid("machine is missing or not an object");
        }
        JsonElement t = machine.getAsJsonObject().get("temperature");
        if (t == null || !t.isJsonPrimitive() || !t.getAsJsonPrimitive().isNumber()) {
            return Decision.invalid("machine.temperature is missing or not a number");
        }
        double temperature = t.getAsDouble();
        double limit = threshold;
        return new Decision(temperature > limit ? Decision.Kind.FORWARD : Decision.Kind.DROP, temperature, null);
    }
}
