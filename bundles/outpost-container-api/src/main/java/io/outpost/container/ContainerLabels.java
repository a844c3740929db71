package io.outpost.container;

/**
 * The labels Outpost puts on every container it creates. A container without {@code io.outpost.managed=true}
 * is not Outpost's, and the engine port neither lists nor touches it.
 */
public final class ContainerLabels {

    /** {@code true} on every container Outpost manages. */
    public static final String MANAGED = "io.outpost.managed";
    /** The device id the container was created for. */
    public static final String DEVICE = "io.outpost.device";
    /** The module (manifest name) the container runs. */
    public static final String MODULE = "io.outpost.module";
    /** The version of the deployment that created the container. */
    public static final String DEPLOYMENT_VERSION = "io.outpost.deployment-version";
    /** {@link ContainerSpec#configHash()} of the spec the container was created from. */
    public static final String CONFIG_HASH = "io.outpost.config-hash";
    /** The prefix reserved for Outpost's labels; specs may not set labels under it. */
    public static final String PREFIX = "io.outpost.";

    private ContainerLabels() {
    }
}
