package io.outpost.bench.hub;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * One publishing client: sequence numbers {@code from .. from+count-1} at QoS 1 with at most
 * {@link Clients#IN_FLIGHT} publishes awaiting their PUBACK (a semaphore, on top of Paho's own window). All out, or
 * paced: message {@code i} is due at {@code start + i / rate} and carries that intended time, so a late send shows
 * as latency instead of being hidden (no coordinated omission). Stops at the deadline.
 */
final class Publisher implements Runnable {

    /** Pacing of a rate-limited publisher: the time of sequence number 0 and the interval. */
    record Pace(long startNanos, double intervalNanos) {
        long due(int seq) {
            return startNanos + (long) (seq * intervalNanos);
        }
    }

    private final MqttAsyncClient client;
    private final String topic;
    private final int run;
    private final int from;
    private final int count;
    private final Pace pace;
    private final long deadlineNanos;
    private final Ledger ledger;
    private final Semaphore window = new Semaphore(Clients.IN_FLIGHT);
    private final IMqttActionListener listener;
    private volatile boolean capped;
    private volatile Throwable error;

    Publisher(MqttAsyncClient client, String topic, int run, int from, int count, Pace pace, long deadlineNanos,
            Ledger ledger) {
        this.client = client;
        this.topic = topic;
        this.run = run;
        this.from = from;
        this.count = count;
        this.pace = pace;
        this.deadlineNanos = deadlineNanos;
        this.ledger = ledger;
        this.listener = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                ledger.recordAck();
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                ledger.recordFailure(exception);
                window.release();
            }
        };
    }

    @Override
    public void run() {
        try {
            for (int seq = from; seq < from + count; seq++) {
                long due = pace == null ? 0 : pace.due(seq);
                if (pace != null) {
                    sleepUntil(due);
                }
                if (!acquireBefore(deadlineNanos)) {
                    capped = true;
                    return;
                }
                long now = System.nanoTime();
                byte[] body = new Payload(run, seq, pace == null ? now : due).encode();
                publish(body);
                ledger.published(seq, now);
            }
        } catch (MqttException | RuntimeException e) {
            error = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = e;
        }
    }

    /** Whether the deadline stopped it before it sent everything. */
    boolean capped() {
        return capped;
    }

    Throwable error() {
        return error;
    }

    private boolean acquireBefore(long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            if (window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Paho counts a publish as in flight until its PUBACK has been processed, which can be a moment after our
     * listener ran: a publish refused for a full window is tried again.
     */
    private void publish(byte[] body) throws MqttException {
        while (true) {
            try {
                client.publish(topic, body, Clients.QOS, false, null, listener);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private static void sleepUntil(long due) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
