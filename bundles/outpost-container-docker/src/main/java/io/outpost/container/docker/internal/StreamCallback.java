package io.outpost.container.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import io.outpost.common.OutpostException;
import io.outpost.container.StreamListener;
import io.outpost.container.Subscription;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Bridges a docker-java stream (logs, events, pull progress) to a {@link StreamListener}. The listener sees
 * at most one terminal call, and none after its owner closed the subscription. Items the mapper turns into
 * {@code null} are skipped.
 *
 * @param <S> docker-java's item type
 * @param <T> Outpost's item type
 */
final class StreamCallback<S, T> implements ResultCallback<S>, Subscription {

    private final Function<S, T> mapper;
    private final StreamListener<T> listener;
    private final Function<Throwable, OutpostException> errors;
    private final AtomicBoolean closedByOwner = new AtomicBoolean();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Closeable stream;
    private volatile OutpostException failure;

    StreamCallback(Function<S, T> mapper, StreamListener<T> listener, Function<Throwable, OutpostException> errors) {
        this.mapper = mapper;
        this.listener = listener;
        this.errors = errors;
    }

    @Override
    public void onStart(Closeable started) {
        this.stream = started;
        if (closedByOwner.get()) {
            closeQuietly(started);
        }
    }

    @Override
    public void onNext(S item) {
        if (closedByOwner.get() || terminated.get()) {
            return;
        }
        T mapped = mapper.apply(item);
        if (mapped != null) {
            listener.onNext(mapped);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!closedByOwner.get()) {
                failure = errors.apply(throwable);
                listener.onError(failure);
            }
        } finally {
            done.countDown();
        }
    }

    @Override
    public void onComplete() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!closedByOwner.get()) {
                listener.onComplete();
            }
        } finally {
            done.countDown();
        }
    }

    @Override
    public void close() {
        if (closedByOwner.compareAndSet(false, true)) {
            Closeable current = stream;
            if (current != null) {
                closeQuietly(current);
            }
            done.countDown();
        }
    }

    /**
     * Waits until the stream ended; throws its failure, if any. Returns false when the time ran out (the
     * stream is then still open).
     */
    boolean await(Duration timeout) throws InterruptedException {
        boolean ended = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        OutpostException error = failure;
        if (error != null) {
            throw error;
        }
        return ended;
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            // the stream is going away; nothing is left to report
        }
    }
}
