package io.outpost.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.SystemClock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Extra passes on the agent's one loop thread: a burst of requests gives one pass, never two at once. */
class PassSchedulerTest {

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger passes = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final PassScheduler scheduler = new PassScheduler(loop, this::pass, SystemClock.INSTANCE);

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void givenLoopBusy_whenBurstOfRequests_thenOnePassAfterIt() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> await(release));

        for (int i = 0; i < 20; i++) {
            scheduler.passSoon();
        }
        release.countDown();
        awaitLoopIdle();

        assertThat(passes).hasValue(1);
    }

    @Test
    void givenPassStarted_whenAnotherRequest_thenOneMorePassAfterItNeverAlongside() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> await(release));
        scheduler.passSoon();
        release.countDown();
        awaitLoopIdle();

        scheduler.passSoon();
        scheduler.passAt(SystemClock.INSTANCE.now());
        awaitLoopIdle();

        assertThat(passes).hasValue(3);
        assertThat(overlaps).hasValue(0);
    }

    private void pass() {
        if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        passes.incrementAndGet();
        running.decrementAndGet();
    }

    /** Waits until everything queued on the loop so far has run. */
    private void awaitLoopIdle() throws InterruptedException {
        CountDownLatch idle = new CountDownLatch(1);
        loop.execute(idle::countDown);
        assertThat(idle.await(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
