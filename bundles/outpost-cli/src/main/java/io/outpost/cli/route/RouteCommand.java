package io.outpost.cli.route;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code outpost route}: offline checks of the Azure IoT Edge route language. */
@Command(name = "route", description = "Checks routes and conditions offline.",
        subcommands = {RouteParseCommand.class, RouteEvalCommand.class})
public final class RouteCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
