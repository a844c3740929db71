package io.outpost.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogBudgetTest {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @Test
    void givenOneSourceFlooding_whenAdmitted_thenPerSourceLinesPassAndOthersStillGetTheirs() {
        LogBudget budget = new LogBudget(1, TimeUnit.MINUTES, 10, 100);
        List<Long> reports = new ArrayList<>();

        long fromAttacker = IntStream.range(0, 1000).filter(i -> budget.admit("10.0.0.9", 0, reports::add)).count();

        assertThat(fromAttacker).isEqualTo(10);
        assertThat(budget.admit("10.0.0.1", 1, reports::add)).isTrue();
        assertThat(reports).isEmpty();
    }

    @Test
    void givenManySources_whenAdmitted_thenAtMostInAllPassPerPeriodAndTheLeftOutAreReportedOnce() {
        LogBudget budget = new LogBudget(1, TimeUnit.MINUTES, 10, 100);
        List<Long> reports = new ArrayList<>();

        long passed = IntStream.range(0, 20_000).filter(i -> budget.admit("a" + (i % 5000), i, reports::add)).count();
        assertThat(passed).isEqualTo(100);
        assertThat(reports).isEmpty();

        // the next period: one report of what was left out, then lines pass again
        assertThat(budget.admit("a1", MINUTE + 20_000, reports::add)).isTrue();
        assertThat(reports).containsExactly(19_900L);
        assertThat(budget.admit("a1", MINUTE + 20_001, reports::add)).isTrue();
        assertThat(reports).hasSize(1);
    }

    @Test
    void givenBadLimits_whenMade_thenRefused() {
        assertThatThrownBy(() -> new LogBudget(1, TimeUnit.MINUTES, 0, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perSource");
        assertThatThrownBy(() -> new LogBudget(1, TimeUnit.MINUTES, 10, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inAll");
    }

    @Test
    void givenRemoteAddresses_whenHostTaken_thenThePortIsDropped() {
        assertThat(LogBudget.hostOf("127.0.0.1:4567")).isEqualTo("127.0.0.1");
        assertThat(LogBudget.hostOf("[::1]:4567")).isEqualTo("[::1]");
        assertThat(LogBudget.hostOf("host")).isEqualTo("host");
        assertThat(LogBudget.hostOf(null)).isEmpty();
    }
}
