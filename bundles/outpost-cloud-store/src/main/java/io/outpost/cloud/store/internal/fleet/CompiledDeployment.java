package io.outpost.cloud.store.internal.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.store.internal.condition.TargetCondition;
import java.util.Comparator;

/** A deployment with its condition parsed and its content read, ready to be evaluated against many twins. */
public record CompiledDeployment(FleetDeployment deployment, TargetCondition condition, ObjectNode content) {

    /** Lowest first: priority, then creation time, then id (so that equal deployments still have an order). */
    static final Comparator<CompiledDeployment> PRECEDENCE = Comparator
            .comparingInt((CompiledDeployment d) -> d.deployment().priority())
            .thenComparing(d -> d.deployment().createdAt())
            .thenComparing(d -> d.deployment().id());

    public static CompiledDeployment of(FleetDeployment d) {
        return new CompiledDeployment(d, TargetCondition.parse(d.targetCondition()),
                ModulesContent.parse(d.modulesContent()));
    }

    public String id() {
        return deployment.id();
    }
}
