package io.outpost.agent.internal;

import io.outpost.container.ContainerEngine;

/**
 * One step of a plan. Its id is deterministic ({@code stop:<module>}), so that the plan runner's retry
 * statistics survive re-planning: the same step planned again on the next pass is the same command.
 */
interface Command {

    /** {@code <verb>:<module>}, e.g. {@code create:sensor}. */
    String id();

    /** The module this command acts on; a failed command skips the module's later commands in the pass. */
    String module();

    void execute(ContainerEngine engine);

    /** For logs and progress: what the command does. */
    String show();
}
