package io.outpost.hub.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.EndpointSender;
import io.outpost.hub.Endpoints;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.StoredMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.postoffice.Address;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.postoffice.impl.AddressImpl;

/**
 * Delivers module-input endpoints to the broker address that the hub's MQTT listener serves as the IoT Hub
 * topic {@code devices/<device>/modules/<module>/inputs/<input>}: Artemis writes MQTT's {@code /} as
 * {@code .}, so the address is {@code devices.<device>.modules.<module>.inputs.<input>}. A send succeeds only
 * once the message is durable in at least one subscriber's queue; with no subscriber (the module is not
 * connected) it fails as retryable and the message stays in the endpoint's queue. {@code $upstream} has no
 * sender until the cloud link exists: it always fails as retryable, so its queue holds its messages.
 */
final class ModuleInputSender implements EndpointSender {

    private final EmbeddedBroker broker;
    private final ProducerPool producers;
    private final String deviceId;

    ModuleInputSender(EmbeddedBroker broker, ProducerPool producers, String deviceId) {
        if (deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("deviceId must not be empty");
        }
        this.broker = broker;
        this.producers = producers;
        this.deviceId = deviceId;
    }

    /** The broker address of a module's input. */
    static String address(String deviceId, String module, String input) {
        return "devices." + deviceId + ".modules." + module + ".inputs." + input;
    }

    @Override
    public void send(String endpoint, StoredMessage message) {
        if (Endpoints.UPSTREAM.equals(endpoint)) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "no cloud link: $upstream is held");
        }
        if (!Endpoints.isModuleInput(endpoint)) {
            throw new IllegalArgumentException("not an endpoint this hub delivers to: " + endpoint);
        }
        String address = address(deviceId, Endpoints.module(endpoint), Endpoints.input(endpoint));
        try {
            if (!hasSubscriber(address)) {
                throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "module " + Endpoints.module(endpoint)
                        + " has no subscription for input " + Endpoints.input(endpoint));
            }
            producers.send(address, message);
        } catch (OutpostException e) {
            throw e;
        } catch (Exception e) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "could not send to " + address + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether a queue is bound to the address or to a wildcard address matching it (a subscription to inputs/#). */
    private boolean hasSubscriber(String address) {
        WildcardConfiguration wildcards = broker.server().getConfiguration().getWildcardConfiguration();
        Address target = new AddressImpl(SimpleString.of(address), wildcards);
        return broker.server().getPostOffice().getAllBindings().anyMatch(b -> b instanceof QueueBinding
                && target.matches(new AddressImpl(b.getAddress(), wildcards)));
    }
}
