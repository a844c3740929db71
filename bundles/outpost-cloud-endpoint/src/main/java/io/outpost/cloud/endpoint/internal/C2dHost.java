package io.outpost.cloud.endpoint.internal;

import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.ConnectedClient;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.IotMessage;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A {@link DialectHost} that tells the cloud-to-device delivery of subscriptions and serves everything through
 * another host: every method of {@link DialectHost} is passed on (a method added there must be passed on here).
 */
final class C2dHost implements DialectHost {

    private final DialectHost host;
    private final C2dDelivery delivery;

    C2dHost(DialectHost host, C2dDelivery delivery) {
        this.host = host;
        this.delivery = delivery;
    }

    @Override
    public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
        return host.authenticate(request);
    }

    @Override
    public CompletionStage<Void> telemetry(ClientIdentity identity, IotMessage message) {
        return host.telemetry(identity, message);
    }

    @Override
    public CompletionStage<String> getTwin(ClientIdentity identity) {
        return host.getTwin(identity);
    }

    @Override
    public CompletionStage<Long> patchReported(ClientIdentity identity, String patchJson) {
        return host.patchReported(identity, patchJson);
    }

    @Override
    public void connected(ConnectedClient client) {
        host.connected(client);
    }

    @Override
    public void disconnected(ConnectedClient client) {
        host.disconnected(client);
    }

    @Override
    public void subscribed(ClientIdentity identity, String topicFilter) {
        host.subscribed(identity, topicFilter);
        delivery.subscribed(identity, topicFilter);
    }
}
