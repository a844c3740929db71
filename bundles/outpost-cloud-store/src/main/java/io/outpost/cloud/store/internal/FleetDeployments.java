package io.outpost.cloud.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.AppliedConfiguration;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.DeploymentMetrics;
import io.outpost.cloud.DeviceDeploymentState;
import io.outpost.cloud.DeviceDeploymentStatus;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.Ids;
import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.store.internal.condition.TargetCondition;
import io.outpost.cloud.store.internal.condition.TwinView;
import io.outpost.cloud.store.internal.fleet.CompiledDeployment;
import io.outpost.cloud.store.internal.fleet.ContentValidator;
import io.outpost.cloud.store.internal.fleet.DeviceReport;
import io.outpost.cloud.store.internal.fleet.FleetPlanner;
import io.outpost.cloud.store.internal.fleet.ModulesContent;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fleet deployments over the store: checks and stores deployments, plans each device with {@link FleetPlanner},
 * writes the result into the device's module twins, and counts the fleet's reports with {@link DeviceReport}.
 */
final class FleetDeployments implements FleetDeploymentService {

    private static final Logger LOG = LoggerFactory.getLogger(FleetDeployments.class);

    private final JdbcDeploymentRepository repository;
    private final JdbcTwinService twins;
    private final ContentValidator validator;
    private final Clock clock;

    FleetDeployments(JdbcDeploymentRepository repository, JdbcTwinService twins, ContentValidator validator,
            Clock clock) {
        this.repository = repository;
        this.twins = twins;
        this.validator = validator;
        this.clock = clock;
    }

    @Override
    public FleetDeployment create(FleetDeployment d) {
        checkCondition(d.targetCondition());
        ObjectNode checked = validator.check(d.modulesContent(), d.layered());
        if (!d.layered()) {
            checkTwinLimits(checked);
        }
        FleetDeployment stored = new FleetDeployment(d.id(), d.modulesContent(), d.targetCondition(), d.priority(),
                d.labels(), clock.now(), d.layered());
        try {
            repository.insert(stored);
        } catch (OutpostException e) {
            if (e.errorCode() == CloudErrorCode.ALREADY_EXISTS) {
                throw new OutpostException(CloudErrorCode.ALREADY_EXISTS, "deployment '" + d.id() + "' exists", e);
            }
            throw e;
        }
        LOG.info("deployment-created id={} priority={} layered={}", d.id(), d.priority(), d.layered());
        applyAll();
        return repository.get(d.id()).orElseThrow();
    }

    /** Refuses a base deployment that gives a twin more desired properties than a twin may hold. */
    private static void checkTwinLimits(ObjectNode content) {
        for (String module : (Iterable<String>) content::fieldNames) {
            ObjectNode desired = ModulesContent.desired(content, module);
            try {
                TwinLimits.check(TwinSection.DESIRED, desired, Json.write(desired));
            } catch (OutpostException e) {
                throw new OutpostException(CloudErrorCode.DEPLOYMENT_INVALID, "modulesContent." + module + ": "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public Optional<FleetDeployment> get(String id) {
        return repository.get(id);
    }

    @Override
    public List<FleetDeployment> list() {
        return repository.list();
    }

    @Override
    public boolean delete(String id) {
        boolean deleted = repository.delete(id);
        if (deleted) {
            LOG.info("deployment-deleted id={}", id);
            applyAll();
        }
        return deleted;
    }

    @Override
    public void checkCondition(String targetCondition) {
        TargetCondition.parse(targetCondition);
    }

    @Override
    public AppliedConfiguration configurationFor(String deviceId) {
        Twin twin = twins.get(TwinId.device(Ids.device(deviceId)))
                .orElseThrow(() -> JdbcDeviceRegistry.notFound(deviceId));
        return FleetPlanner.plan(compiled(), view(twin)).configuration();
    }

    /** Reads and writes of one twin before a concurrent change is reported as a conflict. */
    private static final int WRITE_ATTEMPTS = 5;

    @Override
    public int applyAll() {
        List<CompiledDeployment> deployments = compiled();
        int changed = 0;
        for (Twin twin : twins.deviceTwins()) {
            AppliedConfiguration config = FleetPlanner.plan(deployments, view(twin)).configuration();
            try {
                if (config.base().isPresent() && write(config)) {
                    changed++;
                }
            } catch (OutpostException e) {
                if (e.errorCode() != CloudErrorCode.TWIN_TOO_LARGE) {
                    throw e;
                }
                LOG.warn("configuration-not-applied device={} base={} layers={} error=\"{}\"", config.deviceId(),
                        config.base().orElse(""), config.layers(), e.getMessage());
            }
        }
        return changed;
    }

    /** Replaces the desired properties of each twin the configuration names, where they differ; true if any did. */
    private boolean write(AppliedConfiguration config) {
        ObjectNode content = Json.parseObject(config.modulesContent(), "configuration");
        boolean changed = false;
        for (String module : (Iterable<String>) content::fieldNames) {
            ObjectNode desired = ModulesContent.desired(content, module);
            twins.ensureModuleTwin(config.deviceId(), module);
            TwinId id = TwinId.module(config.deviceId(), module);
            // another writer (a concurrent apply, the device's own edge) may change the twin between the read and
            // the write: read it again and decide again
            for (int attempt = 1; ; attempt++) {
                Twin twin = twins.get(id).orElseThrow();
                if (Json.parseObject(twin.desired(), "desired").equals(desired)) {
                    break;
                }
                try {
                    twins.update(id, TwinPatch.replace(TwinSection.DESIRED, Json.write(desired))
                            .ifVersion(twin.version()));
                    changed = true;
                    break;
                } catch (OutpostException e) {
                    if (e.errorCode() != CloudErrorCode.VERSION_MISMATCH || attempt >= WRITE_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }
        if (changed) {
            LOG.info("configuration-applied device={} base={} layers={}", config.deviceId(), config.base().orElse(""),
                    config.layers());
        }
        return changed;
    }

    @Override
    public DeploymentMetrics metrics(String id) {
        List<DeviceDeploymentStatus> statuses = deviceStatuses(id);
        int applied = count(statuses, DeviceDeploymentState.PENDING) + count(statuses, DeviceDeploymentState.SUCCEEDED)
                + count(statuses, DeviceDeploymentState.FAILED);
        return new DeploymentMetrics(statuses.size(), applied, count(statuses, DeviceDeploymentState.SUCCEEDED),
                count(statuses, DeviceDeploymentState.FAILED));
    }

    private static int count(List<DeviceDeploymentStatus> statuses, DeviceDeploymentState state) {
        return (int) statuses.stream().filter(s -> s.state() == state).count();
    }

    @Override
    public List<DeviceDeploymentStatus> deviceStatuses(String id) {
        if (repository.get(id).isEmpty()) {
            throw new OutpostException(CloudErrorCode.NOT_FOUND, "no deployment '" + id + "'");
        }
        List<CompiledDeployment> deployments = compiled();
        return twins.deviceTwins().stream()
                .map(twin -> FleetPlanner.plan(deployments, view(twin)))
                .filter(plan -> plan.targets(id))
                .map(plan -> DeviceReport.status(id, plan,
                        twins.get(TwinId.module(plan.configuration().deviceId(), "$edgeAgent"))))
                .toList();
    }

    private List<CompiledDeployment> compiled() {
        return repository.list().stream().map(CompiledDeployment::of).toList();
    }

    static TwinView view(Twin twin) {
        return new TwinView(twin.id().deviceId(), Json.parseObject(twin.tags(), "tags"),
                Json.parseObject(twin.reported(), "reported"));
    }
}
