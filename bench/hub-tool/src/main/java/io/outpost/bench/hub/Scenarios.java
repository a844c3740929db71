package io.outpost.bench.hub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The scenarios, the same code for every target: all-out 1 -> 1 and N -> 1, a paced rate with latency from the
 * intended send time, and the drain of a queue built up while the subscriber was away. Each run has its own run
 * id in the payload; each ends only once every published message arrived, or nothing new arrived for the stall
 * time (then the missing ones are reported, and the benchmark fails).
 */
final class Scenarios {

    /**
     * @param timeLimit  longest a scenario publishes (a slow target sends fewer messages, reported as capped)
     * @param stall      longest wait without a new message before the missing ones are declared lost
     * @param firstDrain longest wait for the first drained message (a hub's pump may be in retry back-off)
     */
    record Limits(Duration timeLimit, Duration stall, Duration firstDrain) {
    }

    private static int runs;
    private final Limits limits;

    Scenarios(Limits limits) {
        this.limits = limits;
    }

    /** {@code publishers} clients publish {@code messages} in all as fast as their windows allow. */
    Outcome allOut(String scenario, Target target, int publishers, int messages) {
        int run = ++runs;
        Receiver receiver = new Receiver(run, 0);
        Ledger ledger = new Ledger();
        List<MqttAsyncClient> clients = new ArrayList<>();
        String error = null;
        boolean capped = false;
        Progress progress = new Progress(scenario + " | " + target.name(), ledger, receiver);
        try {
            Target.ClientSpec sub = target.subscriber();
            clients.add(Clients.connect(target, sub, true, receiver));
            Clients.subscribe(target, clients.get(0), sub.topic());
            capped = publish(target, publishers, messages, run, ledger, clients);
            error = awaitReceipt(receiver, ledger, limits.stall());
        } catch (MqttException | RuntimeException e) {
            error = describe(e);
        } finally {
            progress.close();
            clients.forEach(Clients::close);
        }
        double seconds = (receiver.lastNanos() - ledger.firstSendNanos()) / 1e9;
        return outcome(scenario, target, messages, ledger, receiver, capped, seconds, null, -1, error);
    }

    /** One publisher at {@code rate} msg/s for {@code duration}; latency from each message's intended time. */
    Outcome paced(String scenario, Target target, double rate, Duration duration) {
        int run = ++runs;
        int total = Math.max(1, (int) Math.round(rate * duration.toMillis() / 1000.0));
        Receiver receiver = new Receiver(run, total);
        Ledger ledger = new Ledger();
        List<MqttAsyncClient> clients = new ArrayList<>();
        String error = null;
        boolean capped = false;
        int backlog = -1;
        Progress progress = new Progress(scenario + " | " + target.name(), ledger, receiver);
        try {
            Target.ClientSpec sub = target.subscriber();
            clients.add(Clients.connect(target, sub, true, receiver));
            Clients.subscribe(target, clients.get(0), sub.topic());
            Target.ClientSpec spec = target.publisher(0);
            MqttAsyncClient client = Clients.connect(target, spec, true, null);
            clients.add(client);
            long start = System.nanoTime() + 100_000_000L;
            Publisher.Pace pace = new Publisher.Pace(start, 1e9 / rate);
            long deadline = start + Math.max(duration.plusSeconds(10).toNanos(), limits.timeLimit().toNanos());
            Publisher publisher = new Publisher(client, spec.topic(), run, 0, total, pace, deadline, ledger);
            Thread thread = start(publisher, "hub-bench-pub-0");
            sleepUntil(pace.due(total - 1) + Duration.ofSeconds(5).toNanos());
            backlog = total - receiver.unique();
            thread.join();
            capped = publisher.capped();
            error = publisher.error() == null ? awaitReceipt(receiver, ledger, limits.stall()) : describe(publisher.error());
        } catch (MqttException | RuntimeException e) {
            error = describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } finally {
            progress.close();
            clients.forEach(Clients::close);
        }
        double[] lat = receiver.latenciesMs();
        double[] pct = lat.length == 0 ? null
                : new double[] {percentile(lat, 50), percentile(lat, 99), percentile(lat, 99.9)};
        return outcome(scenario, target, total, ledger, receiver, capped, duration.toMillis() / 1000.0, pct, backlog,
                error);
    }

    /**
     * The subscriber subscribes (a persistent session) and goes away; {@code messages} are published and
     * acknowledged; then it connects again and the time from its first to its last message gives the drain rate.
     */
    Outcome drain(String scenario, Target target, int messages) {
        int run = ++runs;
        Receiver receiver = new Receiver(run, 0);
        Ledger ledger = new Ledger();
        List<MqttAsyncClient> clients = new ArrayList<>();
        String error = null;
        boolean capped = false;
        long reconnect = 0;
        Progress progress = new Progress(scenario + " | " + target.name(), ledger, receiver);
        try {
            Target.ClientSpec sub = target.subscriber();
            MqttAsyncClient first = Clients.connect(target, sub, false, receiver);
            Clients.subscribe(target, first, sub.topic());
            Clients.close(first);
            capped = publish(target, 1, messages, run, ledger, clients);
            error = awaitSettled(ledger);
            clients.forEach(Clients::close);
            clients.clear();
            if (error == null && receiver.unique() > 0) {
                error = "the subscriber got " + receiver.unique() + " messages while it was away";
            }
            if (error == null) {
                Target.ClientSpec again = target.subscriber();
                System.err.printf("hub-bench: %s | %s: %d messages queued, subscriber reconnects%n", scenario,
                        target.name(), ledger.publishedCount());
                reconnect = System.nanoTime();
                clients.add(Clients.connect(target, again, false, receiver));
                Clients.subscribe(target, clients.get(0), again.topic());
                if (awaitFirst(receiver, limits.firstDrain())) {
                    error = awaitReceipt(receiver, ledger, limits.stall());
                } else {
                    error = "no message within " + limits.firstDrain().toSeconds() + " s of the reconnect";
                }
            }
        } catch (MqttException | RuntimeException e) {
            error = describe(e);
        } finally {
            progress.close();
            clients.forEach(Clients::close);
        }
        double seconds = (receiver.lastNanos() - receiver.firstNanos()) / 1e9;
        double firstAfter = receiver.unique() == 0 ? -1 : (receiver.firstNanos() - reconnect) / 1e6;
        return outcome(scenario, target, messages, ledger, receiver, capped, seconds, null, -1, firstAfter, error);
    }

    /** Connects the publishers and runs them to the end or the time limit; true when the limit stopped them. */
    private boolean publish(Target target, int publishers, int messages, int run, Ledger ledger,
            List<MqttAsyncClient> clients) throws MqttException {
        if (publishers > target.publishers()) {
            throw new IllegalArgumentException(target.name() + " has " + target.publishers() + " publishers, "
                    + publishers + " are needed");
        }
        List<Publisher> list = new ArrayList<>();
        List<Target.ClientSpec> specs = new ArrayList<>();
        List<MqttAsyncClient> own = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            specs.add(target.publisher(i));
            own.add(Clients.connect(target, specs.get(i), true, null));
            clients.add(own.get(i));
        }
        long deadline = System.nanoTime() + limits.timeLimit().toNanos();
        int from = 0;
        for (int i = 0; i < publishers; i++) {
            int share = messages / publishers + (i < messages % publishers ? 1 : 0);
            list.add(new Publisher(own.get(i), specs.get(i).topic(), run, from, share, null, deadline, ledger));
            from += share;
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            threads.add(start(list.get(i), "hub-bench-pub-" + i));
        }
        boolean capped = false;
        for (int i = 0; i < threads.size(); i++) {
            join(threads.get(i));
            capped |= list.get(i).capped();
            if (list.get(i).error() != null) {
                throw new IllegalStateException("publisher " + i + " failed: " + describe(list.get(i).error()));
            }
        }
        return capped;
    }

    /** Waits until every published message arrived; null, or why not. */
    private String awaitReceipt(Receiver receiver, Ledger ledger, Duration stall) {
        String settled = awaitSettled(ledger);
        if (settled != null) {
            return settled;
        }
        int last = -1;
        long changed = System.nanoTime();
        while (receiver.unique() < ledger.publishedCount()) {
            if (receiver.connectionLost() != null) {
                return "the subscriber's connection was lost: " + receiver.connectionLost();
            }
            int now = receiver.unique();
            if (now != last) {
                last = now;
                changed = System.nanoTime();
            } else if (System.nanoTime() - changed > stall.toNanos()) {
                return null; // reported as missing
            }
            pause();
        }
        return null;
    }

    /** Waits for the PUBACK (or failure) of every published message; null, or why not. */
    private String awaitSettled(Ledger ledger) {
        int last = -1;
        long changed = System.nanoTime();
        while (!ledger.settled()) {
            int now = ledger.acked() + ledger.failedCount();
            if (now != last) {
                last = now;
                changed = System.nanoTime();
            } else if (System.nanoTime() - changed > limits.stall().toNanos()) {
                return (ledger.publishedCount() - now) + " publishes got no PUBACK within " + limits.stall().toSeconds()
                        + " s";
            }
            pause();
        }
        return ledger.failedCount() == 0 ? null
                : ledger.failedCount() + " publishes failed, the first: " + ledger.firstFailure();
    }

    private boolean awaitFirst(Receiver receiver, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        while (receiver.unique() == 0 && System.nanoTime() < until && receiver.connectionLost() == null) {
            pause();
        }
        return receiver.unique() > 0;
    }

    private static Outcome outcome(String scenario, Target target, int requested, Ledger ledger, Receiver receiver,
            boolean capped, double seconds, double[] latency, int backlog, String error) {
        return outcome(scenario, target, requested, ledger, receiver, capped, seconds, latency, backlog, -1, error);
    }

    private static Outcome outcome(String scenario, Target target, int requested, Ledger ledger, Receiver receiver,
            boolean capped, double seconds, double[] latency, int backlog, double firstAfterMs, String error) {
        BitSet missing = receiver.missing(ledger.publishedSet());
        List<Integer> listed = missing.stream().limit(Receiver.MAX_LISTED).boxed().toList();
        double rate = seconds > 0 ? receiver.unique() / seconds : 0;
        return new Outcome(scenario, target.name(), requested, ledger.publishedCount(), ledger.acked(),
                receiver.unique(), receiver.duplicates(), receiver.duplicateSeqs(), receiver.strays(),
                missing.cardinality(), listed, capped, seconds, rate, latency, backlog, firstAfterMs, error);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null && e instanceof MqttException ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
