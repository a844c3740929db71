package io.outpost.agent.internal;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerEngine;
import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerLabels;
import io.outpost.container.ContainerSummary;
import io.outpost.deployment.DeploymentErrorCode;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.ManifestErrorCode;
import io.outpost.manifest.ManifestParser;
import io.outpost.manifest.Problem;
import io.outpost.manifest.ValidationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop's body, one {@link #pass()} at a time: read the managed containers from the engine
 * (never a cache), plan against the desired manifest, run the plan, keep restart statistics, report, and roll
 * back a deployment that does not converge within the rollback window. Also holds the desired state that
 * {@link #apply} replaces. Callers serialize {@code pass} on one thread; {@code apply}, {@code status} and
 * {@code requestRestart} may come from any thread.
 */
final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /**
     * The deployment being run: its desired state, parsed manifest, what the host access policy found in it, when
     * it was applied, and whether it converged.
     */
    private record Active(DesiredState state, DeploymentManifest manifest, HostAccessReview review, Instant appliedAt,
            boolean converged) {
        Active convergedNow() {
            return new Active(state, manifest, review, appliedAt, true);
        }
    }

    private final AgentSettings settings;
    private final ContainerEngine engine;
    private final Clock clock;
    private final ManifestParser parser = new ManifestParser();
    private final DesiredStateStore store;
    private final RestartBook book;
    private final Planner planner;
    private final ModuleHooks hooks;
    private final PlanRunner runner;
    private final HostAccessPolicy policy;
    private final Set<String> restartRequests = ConcurrentHashMap.newKeySet();
    private volatile Optional<Instant> nextRestart = Optional.empty();
    private final Map<Long, Instant> blockedSince = new HashMap<>();

    private volatile Optional<Active> active = Optional.empty();
    private Optional<Active> lastGood = Optional.empty();
    private String lastDesiredVersion = "";
    private Optional<String> refusal = Optional.empty();
    private int refusalCode;
    private Optional<String> rollbackNote = Optional.empty();
    private volatile DeploymentStatus status = DeploymentStatus.none();

    Reconciler(AgentSettings settings, ContainerEngine engine, Clock clock) {
        this(settings, engine, clock, ModuleHooks.none());
    }

    Reconciler(AgentSettings settings, ContainerEngine engine, Clock clock, ModuleHooks hooks) {
        this(settings, engine, clock, hooks, HostAccessPolicy.defaults());
    }

    Reconciler(AgentSettings settings, ContainerEngine engine, Clock clock, ModuleHooks hooks,
            HostAccessPolicy policy) {
        this.policy = policy;
        this.settings = settings;
        this.engine = engine;
        this.clock = clock;
        this.store = new DesiredStateStore(settings.dataDir());
        this.book = new RestartBook(settings.dataDir());
        this.planner = new Planner(settings, hooks);
        this.hooks = hooks;
        this.runner = new PlanRunner(engine, clock, settings.restartBackoff());
    }

    /** Restores the desired and last good deployments from disk: a cold boot runs its deployment offline. */
    synchronized void restore() {
        store.load(DesiredStateStore.LAST_GOOD).flatMap(this::parseStored)
                .ifPresent(a -> lastGood = Optional.of(a.convergedNow()));
        store.load(DesiredStateStore.DESIRED).flatMap(this::parseStored).ifPresent(a -> {
            active = Optional.of(a);
            lastDesiredVersion = a.state().version();
            LOG.info("deployment-restored version={} source={}", a.state().version(), a.state().source());
        });
        publish(active.map(a -> PendingStatuses.of(a.manifest(), a.state().version())).orElse(List.of()));
    }

    private Optional<Active> parseStored(DesiredState state) {
        ValidationResult r = parser.parse(state.manifest());
        if (!r.valid()) {
            LOG.warn("stored-deployment-invalid version={} errors={}", state.version(), r.errors().size());
            return Optional.empty();
        }
        HostAccessReview review = policy.review(r.orElseThrow());
        review.log(state.version());
        if (review.refused()) {
            LOG.warn("stored-deployment-refused version={} reason=host-access-policy settings={}", state.version(),
                    review.unlisted().size());
            return Optional.empty();
        }
        return Optional.of(new Active(state, r.orElseThrow(), review, clock.now(), false));
    }

    synchronized DeploymentStatus apply(DesiredState desired) {
        ValidationResult result = parser.parse(desired.manifest());
        lastDesiredVersion = desired.version();
        if (!result.valid()) {
            refusalCode = result.errorCode().orElseThrow().azureStatus();
            refusal = Optional.of(result.errors().stream().map(Problem::toString).collect(Collectors.joining("\n")));
            LOG.warn("deployment-refused version={} code={} errors={}", desired.version(), refusalCode,
                    result.errors().size());
            return publish(status.modules());
        }
        // Enforced before anything is stored or created: a refused deployment leaves the running one alone.
        HostAccessReview review = policy.review(result.orElseThrow());
        if (review.refused()) {
            review.log(desired.version());
            refusalCode = ManifestErrorCode.INVALID.azureStatus();
            refusal = Optional.of(review.refusal());
            LOG.warn("deployment-refused version={} reason=host-access-policy settings={}", desired.version(),
                    review.unlisted().size());
            return publish(status.modules());
        }
        refusal = Optional.empty();
        if (active.map(a -> a.state().version().equals(desired.version())).orElse(false)) {
            return publish(status.modules());
        }
        review.log(desired.version());
        store.save(DesiredStateStore.DESIRED, desired);
        active = Optional.of(new Active(desired, result.orElseThrow(), review, clock.now(), false));
        rollbackNote = Optional.empty();
        blockedSince.clear();
        book.clearAll();
        book.save();
        LOG.info("deployment-accepted version={} source={} modules={}", desired.version(), desired.source(),
                result.orElseThrow().modules().size());
        return publish(PendingStatuses.of(result.orElseThrow(), desired.version()));
    }

    DeploymentStatus status() {
        return status;
    }

    /** The desired state the device runs (changed by apply, restore and rollback), if any. */
    Optional<DesiredState> running() {
        return active.map(Active::state);
    }

    void requestRestart(String module) {
        boolean known = active.map(a -> a.manifest().modules().containsKey(module)).orElse(false);
        if (!known) {
            throw new OutpostException(DeploymentErrorCode.UNKNOWN_MODULE,
                    "no module '" + module + "' in the running deployment");
        }
        restartRequests.add(module);
    }

    /** When the last pass found a module waiting out its restart cool-off: the earliest time one is due. */
    Optional<Instant> nextRestart() {
        return nextRestart;
    }

    /**
     * One reconcile pass.
     *
     * @return whether a command of the plan succeeded: the engine changed, and a follow-up pass soon will
     *     observe (and report) the result without waiting a whole reconcile interval
     */
    synchronized boolean pass() {
        if (active.isEmpty()) {
            return false;
        }
        Active run = active.get();
        Map<String, ContainerInfo> current;
        try {
            current = readContainers();
        } catch (OutpostException e) {
            LOG.warn("engine-unreadable error=\"{}\"", e.getMessage());
            publish(status.modules(), Optional.of("container engine unavailable: " + e.getMessage()));
            return false;
        }
        serveExisting(run, current);
        Instant now = clock.now();
        Plan plan = planner.plan(new PlanInput(run.manifest(), run.state().version(), current, book.snapshot(),
                Set.copyOf(restartRequests), blockedSince, now));
        PlanRunner.Result result = plan.isEmpty() ? new PlanRunner.Result(Map.of(), Set.of())
                : runner.run(plan, run.state().version());
        record(plan, result, run, now);
        nextRestart = plan.nextRestart();
        List<ModuleStatus> modules = withErrors(plan.statuses(), result.moduleErrors());
        publish(modules, result.ok() ? Optional.empty() : Optional.of(describe(result.moduleErrors())));
        converge(run, modules, result, now);
        return !result.succeeded().isEmpty();
    }

    private void record(Plan plan, PlanRunner.Result result, Active run, Instant now) {
        plan.restarts().stream().filter(m -> result.succeeded().contains("start:" + m))
                .forEach(m -> book.restarted(m, now));
        plan.clears().forEach(book::cleared);
        restartRequests.removeIf(m -> result.succeeded().contains("start:" + m));
        book.retainOnly(run.manifest().modules().keySet());
        if (!plan.restarts().isEmpty() || !plan.clears().isEmpty()) {
            book.save();
        }
        plan.blockedGroup().ifPresentOrElse(g -> {
            blockedSince.keySet().removeIf(k -> !k.equals(g));
            blockedSince.putIfAbsent(g, now);
        }, blockedSince::clear);
    }

    private void converge(Active run, List<ModuleStatus> modules, PlanRunner.Result result, Instant now) {
        boolean converged = result.ok() && modules.stream().allMatch(ModuleStatus::converged);
        if (converged && !run.converged()) {
            active = Optional.of(run.convergedNow());
            lastGood = active;
            store.save(DesiredStateStore.LAST_GOOD, run.state());
            LOG.info("deployment-converged version={} modules={}", run.state().version(), modules.size());
            return;
        }
        boolean windowOver = !now.isBefore(run.appliedAt().plus(settings.rollbackWindow()));
        if (converged || run.converged() || !windowOver
                || settings.rollbackPolicy() != AgentSettings.RollbackPolicy.ROLLBACK) {
            return;
        }
        Optional<Active> target = lastGood.filter(g -> !g.state().version().equals(run.state().version()));
        if (target.isEmpty()) {
            return;
        }
        ModuleStatus failing = modules.stream().filter(m -> !m.converged()).findFirst().orElseThrow();
        String note = "deployment " + run.state().version() + " rolled back to " + target.get().state().version()
                + ": module " + failing.name() + " is " + failing.runtimeStatus().wireName() + " ("
                + failing.statusDescription() + ") after " + settings.rollbackWindow().toSeconds() + " s";
        LOG.warn("deployment-rolled-back from={} to={} module={} status={}", run.state().version(),
                target.get().state().version(), failing.name(), failing.runtimeStatus().wireName());
        store.save(DesiredStateStore.DESIRED, target.get().state());
        active = Optional.of(new Active(target.get().state(), target.get().manifest(), target.get().review(), now,
                false));
        blockedSince.clear();
        rollbackNote = Optional.of(note);
        publish(modules);
    }

    /** Existing modules get their workload socket served (after a restart of the runtime it is not yet). */
    private void serveExisting(Active run, Map<String, ContainerInfo> current) {
        for (String module : current.keySet()) {
            if (run.manifest().modules().containsKey(module)) {
                try {
                    hooks.existing(settings.deviceId(), module);
                } catch (RuntimeException e) {
                    LOG.warn("workload-socket-unavailable module={} error=\"{}\"", module, e.getMessage());
                }
            }
        }
    }

    private Map<String, ContainerInfo> readContainers() {
        Map<String, ContainerInfo> byModule = new HashMap<>();
        for (ContainerSummary s : engine.listManaged()) {
            // Only this device's containers: another runtime may share the engine with another device id.
            if (!s.module().isEmpty() && settings.deviceId().equals(s.labels().get(ContainerLabels.DEVICE))) {
                engine.inspect(s.id()).ifPresent(info -> byModule.put(s.module(), info));
            }
        }
        return byModule;
    }

    private static List<ModuleStatus> withErrors(List<ModuleStatus> statuses, Map<String, String> errors) {
        List<ModuleStatus> out = new ArrayList<>();
        for (ModuleStatus s : statuses) {
            String error = errors.get(s.name());
            out.add(error == null || s.runtimeStatus() == RuntimeStatus.FAILED ? s
                    : new ModuleStatus(s.name(), s.desiredStatus(), RuntimeStatus.BACKOFF, error, s.exitCode(),
                            s.restartCount(), s.lastStartTime(), s.lastExitTime(), s.lastRestartTime(), s.image(),
                            s.restartPolicy(), s.startupOrder(), s.healthy()));
        }
        return out;
    }

    private static String describe(Map<String, String> errors) {
        return errors.entrySet().stream().map(e -> "module " + e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
    }

    private DeploymentStatus publish(List<ModuleStatus> modules) {
        return publish(modules, Optional.empty());
    }

    private DeploymentStatus publish(List<ModuleStatus> modules, Optional<String> failure) {
        int code;
        String description;
        if (refusal.isPresent()) {
            code = refusalCode;
            description = refusal.get();
        } else if (rollbackNote.isPresent()) {
            code = DeploymentStatus.FAILED;
            description = rollbackNote.get();
        } else if (active.isEmpty()) {
            status = DeploymentStatus.none();
            return status;
        } else {
            code = failure.isPresent() ? DeploymentStatus.FAILED : DeploymentStatus.OK;
            Optional<String> hostAccess = active.get().review().summary();
            description = failure.map(f -> hostAccess.map(h -> f + "; " + h).orElse(f)).or(() -> hostAccess).orElse("");
        }
        HostAccessReview review = active.map(Active::review).orElse(HostAccessReview.none());
        status = new DeploymentStatus(lastDesiredVersion, code, description,
                active.map(a -> a.state().version()), active.map(Active::appliedAt),
                modules.stream().map(review::annotate).toList());
        return status;
    }
}
