package io.outpost.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.agent.internal.RestartDecision.Action;
import io.outpost.common.ManualClock;
import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerState;
import io.outpost.container.HealthStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.manifest.RestartPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartRulesTest {

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private final RestartRules rules = new RestartRules(AgentSettings.defaults("dev", Path.of("unused")));

    private ContainerInfo exited(int code, Instant at) {
        return new ContainerInfo("id", "m", "img", "sha", ContainerState.EXITED, code, HealthStatus.NONE, "",
                Optional.of(at.minusSeconds(1)), Optional.of(at), Map.of());
    }

    private ContainerInfo running(Instant since, HealthStatus health) {
        return new ContainerInfo("id", "m", "img", "sha", ContainerState.RUNNING, 0, health, "",
                Optional.of(since), Optional.empty(), Map.of());
    }

    @Test
    void givenAlwaysPolicy_whenModuleKeepsFailing_thenCoolOffIs10_20_40_Up_To300Seconds() {
        RestartStats stats = RestartStats.NONE;
        List<Long> waits = new ArrayList<>();
        for (int restart = 0; restart < 8; restart++) {
            Instant exitedAt = clock.now();
            long waited = 0;
            while (rules.decide(RestartPolicy.ALWAYS, exited(1, exitedAt), stats, clock.now()).action()
                    != Action.RESTART) {
                assertThat(rules.decide(RestartPolicy.ALWAYS, exited(1, exitedAt), stats, clock.now()).status())
                        .isEqualTo(RuntimeStatus.BACKOFF);
                clock.advance(Duration.ofSeconds(1));
                waited++;
            }
            waits.add(waited);
            stats = stats.restarted(clock.now());
        }

        assertThat(waits).containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L);
    }

    @Test
    void givenTwentyRestarts_whenModuleExitsAgain_thenFailedAndNotRestarted() {
        RestartStats stats = new RestartStats(20, Optional.of(clock.now()));
        clock.advance(Duration.ofHours(1));

        RestartDecision d = rules.decide(RestartPolicy.ALWAYS, exited(3, clock.now().minusSeconds(3600)), stats,
                clock.now());

        assertThat(d.status()).isEqualTo(RuntimeStatus.FAILED);
        assertThat(d.action()).isEqualTo(Action.NONE);
        assertThat(d.description()).contains("restarted 20 times");
    }

    @Test
    void givenNineteenRestarts_whenCoolOffPassed_thenRestartedOnceMore() {
        RestartStats stats = new RestartStats(19, Optional.of(clock.now()));
        Instant exitedAt = clock.now();
        clock.advance(Duration.ofSeconds(300));

        assertThat(rules.decide(RestartPolicy.ALWAYS, exited(3, exitedAt), stats, clock.now()).action())
                .isEqualTo(Action.RESTART);
    }

    @Test
    void givenRestarts_whenRunningTenMinutes_thenCountCleared() {
        RestartStats stats = new RestartStats(5, Optional.of(clock.now()));
        Instant started = clock.now();

        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(rules.decide(RestartPolicy.ALWAYS, running(started, HealthStatus.NONE), stats, clock.now())
                .action()).isEqualTo(Action.NONE);

        clock.advance(Duration.ofSeconds(1));
        assertThat(rules.decide(RestartPolicy.ALWAYS, running(started, HealthStatus.NONE), stats, clock.now())
                .action()).isEqualTo(Action.CLEAR_COUNT);
        assertThat(stats.cleared().restartCount()).isZero();
    }

    @ParameterizedTest(name = "policy {0}, exit {1} -> {2} {3}")
    @CsvSource({
        "NEVER,        0, STOPPED, NONE",
        "NEVER,        1, FAILED,  NONE",
        "ON_FAILURE,   0, STOPPED, NONE",
        "ON_FAILURE,   1, BACKOFF, RESTART",
        "ON_UNHEALTHY, 0, STOPPED, NONE",
        "ON_UNHEALTHY, 2, BACKOFF, RESTART",
        "ALWAYS,       0, BACKOFF, RESTART",
        "ALWAYS,     137, BACKOFF, RESTART"
    })
    void givenExitedModule_whenCoolOffPassed_thenPolicyDecides(RestartPolicy policy, int exit, RuntimeStatus status,
            Action action) {
        Instant exitedAt = clock.now();
        clock.advance(Duration.ofSeconds(10));

        RestartDecision d = rules.decide(policy, exited(exit, exitedAt), RestartStats.NONE, clock.now());

        assertThat(d.status()).isEqualTo(status);
        assertThat(d.action()).isEqualTo(action);
    }

    @Test
    void givenOnUnhealthy_whenHealthcheckFails_thenStoppedAndStartedAfterCoolOff() {
        Instant started = clock.now();
        clock.advance(Duration.ofSeconds(5));
        assertThat(rules.decide(RestartPolicy.ON_UNHEALTHY, running(started, HealthStatus.UNHEALTHY),
                RestartStats.NONE, clock.now()).action()).isEqualTo(Action.NONE);

        clock.advance(Duration.ofSeconds(5));
        RestartDecision d = rules.decide(RestartPolicy.ON_UNHEALTHY, running(started, HealthStatus.UNHEALTHY),
                RestartStats.NONE, clock.now());
        assertThat(d.action()).isEqualTo(Action.RESTART_UNHEALTHY);
        assertThat(d.status()).isEqualTo(RuntimeStatus.UNHEALTHY);
    }

    @Test
    void givenAlwaysPolicy_whenHealthcheckFails_thenReportedUnhealthyButNotRestarted() {
        clock.advance(Duration.ofHours(1));

        RestartDecision d = rules.decide(RestartPolicy.ALWAYS, running(clock.now().minusSeconds(3600),
                HealthStatus.UNHEALTHY), RestartStats.NONE, clock.now());

        assertThat(d.status()).isEqualTo(RuntimeStatus.UNHEALTHY);
        assertThat(d.action()).isEqualTo(Action.NONE);
    }
}
