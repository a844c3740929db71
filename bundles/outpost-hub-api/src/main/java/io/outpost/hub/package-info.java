/**
 * The hub's durable store-and-forward port: one queue per endpoint (a module input or {@code $upstream}),
 * served in strict priority order, with a TTL fixed at enqueue, a byte quota with an explicit
 * {@link io.outpost.hub.FullPolicy}, dead letters for messages an endpoint rejects as invalid, and
 * at-least-once delivery; the {@link io.outpost.hub.MessageRouter} that fills them from the routes; and the
 * {@link io.outpost.hub.EndpointSender} that endpoint pumps deliver through, which hands {@code $upstream} to the
 * cloud link's {@link io.outpost.hub.UpstreamSender}. Plain Java values with no
 * third-party types.
 */
@Export
@Version("1.5.0")
package io.outpost.hub;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
