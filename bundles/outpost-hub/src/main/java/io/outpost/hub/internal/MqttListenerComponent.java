package io.outpost.hub.internal;

import io.outpost.common.Clock;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.security.CertificateService;
import io.outpost.security.IdentityService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's MQTT listeners (settings {@code mqtt*} of the store's configuration, {@link MessageStoreComponent}):
 * started only while the security services (identities, the hub's certificate) are there, so without the
 * {@code outpost-security} feature the hub has no network listener. Restarted with the store, and when the
 * security services come or go (optional, static and greedy references).
 */
@Component(immediate = true, service = {})
public class MqttListenerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(MqttListenerComponent.class);

    private final MqttListener listener;

    @Activate
    public MqttListenerComponent(@Reference MessageStore store, @Reference MessageRouter router,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            CertificateService certificates,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            IdentityService identities,
            @Reference Clock clock) throws Exception {
        if (!(store instanceof MessageStoreComponent hub)) {
            throw new IllegalStateException("the MQTT listener runs on the hub's own store, not on " + store);
        }
        if (certificates == null || identities == null) {
            LOG.info("mqtt-listener-off reason=\"the security services (outpost-security) are not available\"");
            this.listener = null;
            return;
        }
        this.listener = MqttListener.start(hub.broker(), hub.mqttSettings(), hub.settings().dataDir(),
                certificates::serverKeyStore, new SasAuthenticator(identities, clock), router);
    }

    @Deactivate
    void deactivate() {
        if (listener != null) {
            listener.close();
            LOG.info("mqtt-listeners-stopped");
        }
    }
}
