package io.outpost.cloud.link.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;

/**
 * Twin work handed to the link's work thread: a task that fails is logged ({@code <events>-twin-sync-failed}) and
 * the next one runs; a task offered after the link stopped is dropped ({@code <events>-twin-sync-stopped}).
 */
final class TwinWork {

    private final ExecutorService work;
    private final String events;
    private final Logger log;

    /**
     * @param events the prefix of the log events, e.g. {@code cloud-module}
     * @param log the logger of the part the work is for
     */
    TwinWork(ExecutorService work, String events, Logger log) {
        this.work = work;
        this.events = events;
        this.log = log;
    }

    void submit(Runnable task) {
        try {
            work.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.info(events + "-twin-sync-failed error=\"{}\"", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug(events + "-twin-sync-stopped");
        }
    }
}
