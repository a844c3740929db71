package io.outpost.hub.internal;

import io.outpost.hub.EndpointSender;
import io.outpost.hub.Endpoints;
import io.outpost.hub.StoredMessage;
import io.outpost.hub.UpstreamSender;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The last step of the hub's message path, published as the {@link EndpointSender} the endpoint pump
 * ({@code outpost-hub-camel}) hands each stored message to: {@code $upstream} goes to the cloud link's
 * {@link UpstreamSender} (while one is registered; without one it stays queued), a module input goes through the
 * MQTT listener ({@link HubListener}) to the module ({@link ModuleInputDelivery}, completing on its PUBACK). It holds
 * no messages and no connections of its own; the device id of module-input topics is {@link HubConfig#deviceId()}.
 */
@Component(immediate = true, service = EndpointSender.class, configurationPid = HubConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class EndpointSenderComponent implements EndpointSender {

    private final ModuleInputDelivery inputs;

    /** The cloud link, while one is configured: {@code $upstream} is delivered through it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile UpstreamSender upstream;

    /** The MQTT listener, while it is there: module inputs are delivered through it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HubListener listener;

    @Activate
    public EndpointSenderComponent(HubConfig config) {
        this.inputs = new ModuleInputDelivery(EdgeDeviceId.of(config), () -> listener);
    }

    /** For tests: the component with the references Declarative Services would inject (each may be null). */
    EndpointSenderComponent(HubConfig config, HubListener listener, UpstreamSender upstream) {
        this(config);
        this.listener = listener;
        this.upstream = upstream;
    }

    @Override
    public void send(String endpoint, StoredMessage message) {
        UpstreamSender link = upstream;
        if (link != null && Endpoints.UPSTREAM.equals(endpoint)) {
            link.send(message);
            return;
        }
        inputs.send(endpoint, message);
    }

    /** Module inputs without blocking (a window of them awaiting PUBACKs); {@code $upstream} as {@link #send}. */
    @Override
    public CompletionStage<Void> sendAsync(String endpoint, StoredMessage message) {
        if (Endpoints.UPSTREAM.equals(endpoint)) {
            return EndpointSender.super.sendAsync(endpoint, message);
        }
        return inputs.sendAsync(endpoint, message);
    }
}
