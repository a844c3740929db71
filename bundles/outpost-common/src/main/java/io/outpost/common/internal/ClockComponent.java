package io.outpost.common.internal;

import io.outpost.common.Clock;
import io.outpost.common.SystemClock;
import java.time.Instant;
import org.osgi.service.component.annotations.Component;

/**
 * Publishes the machine's clock as an OSGi service, so components take a {@link Clock} by reference and
 * tests hand them a manual clock (outpost-common's test-jar) instead.
 */
@Component(service = Clock.class, property = "type=system")
public class ClockComponent implements Clock {

    @Override
    public Instant now() {
        return SystemClock.INSTANCE.now();
    }

    @Override
    public long monotonicNanos() {
        return SystemClock.INSTANCE.monotonicNanos();
    }
}
