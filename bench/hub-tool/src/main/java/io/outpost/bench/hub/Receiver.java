package io.outpost.bench.hub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * The subscriber's side of a scenario: which sequence numbers of its run arrived, how often, when, and (paced
 * scenario) the latency of each from its intended send time. Messages of other runs (a late redelivery of an
 * earlier scenario) are counted apart and never mixed in.
 */
final class Receiver implements MqttCallback {

    static final int MAX_LISTED = 20;

    private final int run;
    private final long[] latencyNanos;
    private final BitSet seen = new BitSet();
    private final List<Integer> duplicateSeqs = new ArrayList<>();
    private int unique;
    private int duplicates;
    private int strays;
    private long firstNanos;
    private long lastNanos;
    private volatile String connectionLost;

    /** @param latencySlots how many sequence numbers to keep a latency for (0: none) */
    Receiver(int run, int latencySlots) {
        this.run = run;
        this.latencyNanos = new long[latencySlots];
        Arrays.fill(latencyNanos, -1);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        long now = System.nanoTime();
        Payload p = Payload.decode(message.getPayload());
        synchronized (this) {
            if (p == null || p.run() != run) {
                strays++;
                return;
            }
            if (seen.get(p.seq())) {
                duplicates++;
                if (duplicateSeqs.size() < MAX_LISTED) {
                    duplicateSeqs.add(p.seq());
                }
                return;
            }
            seen.set(p.seq());
            unique++;
            if (unique == 1) {
                firstNanos = now;
            }
            lastNanos = now;
            if (p.seq() < latencyNanos.length) {
                latencyNanos[p.seq()] = now - p.nanos();
            }
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        connectionLost = String.valueOf(cause);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // the subscriber publishes nothing
    }

    synchronized int unique() {
        return unique;
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized List<Integer> duplicateSeqs() {
        return List.copyOf(duplicateSeqs);
    }

    synchronized int strays() {
        return strays;
    }

    synchronized long firstNanos() {
        return firstNanos;
    }

    synchronized long lastNanos() {
        return lastNanos;
    }

    /** The published sequence numbers that did not arrive. */
    synchronized BitSet missing(BitSet published) {
        BitSet m = (BitSet) published.clone();
        m.andNot(seen);
        return m;
    }

    /** The latencies of the messages that arrived, in milliseconds, sorted. */
    synchronized double[] latenciesMs() {
        return Arrays.stream(latencyNanos).filter(l -> l >= 0).sorted().mapToDouble(l -> l / 1e6).toArray();
    }

    String connectionLost() {
        return connectionLost;
    }
}
