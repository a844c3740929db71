package io.outpost.container;

/** A running stream (logs, events) that stops when closed. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
