package io.outpost.bench.hub;

import java.util.BitSet;

/** What the publishers of one scenario sent: every sequence number handed to Paho, acknowledged or failed. */
final class Ledger {

    private final BitSet published = new BitSet();
    private int publishedCount;
    private int acked;
    private int failed;
    private String firstFailure;
    private long firstSendNanos = Long.MAX_VALUE;
    private long lastAckNanos;

    synchronized void published(int seq, long nanos) {
        if (!published.get(seq)) {
            published.set(seq);
            publishedCount++;
        }
        firstSendNanos = Math.min(firstSendNanos, nanos);
    }

    synchronized void recordAck() {
        acked++;
        lastAckNanos = System.nanoTime();
    }

    synchronized void recordFailure(Throwable why) {
        failed++;
        if (firstFailure == null) {
            firstFailure = String.valueOf(why);
        }
    }

    synchronized int publishedCount() {
        return publishedCount;
    }

    synchronized int acked() {
        return acked;
    }

    synchronized int failedCount() {
        return failed;
    }

    synchronized String firstFailure() {
        return firstFailure;
    }

    /** Whether every published message got its PUBACK or failed. */
    synchronized boolean settled() {
        return acked + failed >= publishedCount;
    }

    synchronized long firstSendNanos() {
        return firstSendNanos;
    }

    synchronized long lastAckNanos() {
        return lastAckNanos;
    }

    synchronized BitSet publishedSet() {
        return (BitSet) published.clone();
    }
}
