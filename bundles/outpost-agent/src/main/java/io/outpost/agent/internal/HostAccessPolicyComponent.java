package io.outpost.agent.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The host access policy as configured, PID {@code io.outpost.agent.policy} (file
 * {@code etc/io.outpost.agent.policy.cfg}), for the agent component within this bundle. A change of the
 * configuration reactivates this component and so the agent, which applies the new policy to the stored
 * deployment as it restores it. A bad value keeps this component, and so the agent, from activating.
 */
@Component(service = HostAccessPolicyComponent.class, configurationPid = HostAccessPolicy.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HostAccessPolicyComponent.Config.class)
public class HostAccessPolicyComponent {

    @ObjectClassDefinition(name = "Outpost agent host access policy",
            description = "What the agent does with deployments whose createOptions reach into the host")
    public @interface Config {
        @AttributeDefinition(description = "allow, warn (accept, with a warning in the log and the module status) "
                + "or deny (refuse the deployment) for host access settings that no allow-list covers")
        String hostAccess() default "warn";

        @AttributeDefinition(description = "Absolute host paths under which binds (Binds, Mounts) are allowed; "
                + "several entries, or one of comma-separated paths")
        String[] allowedBindPaths() default {};

        @AttributeDefinition(description = "Host device paths (or folders of them) and device cgroup rules allowed")
        String[] allowedDevices() default {};

        @AttributeDefinition(description = "Capabilities CapAdd may add, e.g. NET_ADMIN")
        String[] allowedCapabilities() default {};
    }

    private final HostAccessPolicy policy;

    @Activate
    public HostAccessPolicyComponent(Config config) {
        this.policy = HostAccessPolicy.of(config.hostAccess(), config.allowedBindPaths(), config.allowedDevices(),
                config.allowedCapabilities());
    }

    HostAccessPolicy policy() {
        return policy;
    }
}
