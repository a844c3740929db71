/**
 * The Azure IoT Edge route language: {@code [SELECT *] FROM <source> [WHERE <condition>] INTO <sink>}.
 * {@link io.outpost.routing.RouteParser} turns a route's text into a {@link io.outpost.routing.ParsedRoute}
 * whose condition is already compiled; {@link io.outpost.routing.CompiledRoute} binds it to a named
 * {@link io.outpost.routing.Route} and decides, without locks, whether a
 * {@link io.outpost.routing.RouteMessage} takes that route. Errors are one
 * {@link io.outpost.routing.RouteSyntaxException} carrying the 1-based column. Plain Java with no
 * third-party types, so that the CLI and unit tests use it without OSGi.
 */
@Export
@Version("1.1.0")
package io.outpost.routing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
