package io.outpost.hub.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The hub's one configuration, {@value #PID}: the store's settings, the device id of module-input topics and the
 * MQTT listener's {@code mqtt*} settings. Several components read it (each takes the settings of its own job):
 * {@link MessageStoreComponent} (store), {@link EndpointSenderComponent} and {@link TwinsComponent} (device id,
 * data directory) and {@link ListenerComponent} ({@code mqtt*}), so one {@code etc/io.outpost.hub.store.cfg}
 * configures them all; a change restarts each of them.
 */
@ObjectClassDefinition(id = HubConfig.PID, name = "Outpost hub store",
        description = "Durable store-and-forward queues of the hub, one per endpoint")
public @interface HubConfig {

    /** The configuration PID: {@code etc/io.outpost.hub.store.cfg}. */
    String PID = "io.outpost.hub.store";

    @AttributeDefinition(description = "Directory of the journal, bindings, paging and large messages; "
            + "empty means ${karaf.data}/outpost/store")
    String dataDir() default "";

    @AttributeDefinition(description = "Byte quota of each endpoint queue (bodies plus property names and values)")
    long maxSizeBytes() default 1_073_741_824L;

    @AttributeDefinition(description = "What a full endpoint queue does with a new message: reject or drop-oldest")
    String fullPolicy() default "reject";

    @AttributeDefinition(description = "TTL of messages enqueued without one (Azure's timeToLiveSecs)")
    long defaultTtlSeconds() default 7200;

    @AttributeDefinition(description = "Device id in the topics of module inputs "
            + "(devices/<deviceId>/modules/<m>/inputs/<i>); empty: the host name")
    String deviceId() default "";

    @AttributeDefinition(description = "Address the MQTT listeners bind to (TLS; the plain listener always binds "
            + "127.0.0.1)")
    String mqttHost() default "127.0.0.1";

    @AttributeDefinition(description = "Port of MQTT 3.1.1 and 5 over TLS for modules and leaf devices; 0: no TLS "
            + "listener")
    int mqttTlsPort() default 8883;

    @AttributeDefinition(description = "Port of plain-text MQTT, bound to 127.0.0.1 only; 0 (the default): none")
    int mqttPlainPort() default 0;

    @AttributeDefinition(description = "Largest MQTT packet accepted, in bytes (IoT Hub: 256 KiB); a larger one "
            + "closes the connection")
    int mqttMaxPacketBytes() default 262144;

    @AttributeDefinition(description = "Seconds from TCP accept to a valid CONNECT (TLS handshake included)")
    long mqttConnectTimeoutSecs() default 10;

    @AttributeDefinition(description = "Seconds a delivery to a module input waits for the module's PUBACK")
    long mqttDeliveryTimeoutSecs() default 60;

    @AttributeDefinition(description = "Connections served at once; more are closed on accept")
    int mqttMaxConnections() default 1000;

    @AttributeDefinition(description = "The hub name clients must use in user names and SAS tokens; empty: the "
            + "IoT Hub host name modules are told (outpost-security's iotHubHostName)")
    String mqttHubHostName() default "";

    @AttributeDefinition(description = "PEM file of CAs that may issue leaf device certificates (X509_CA "
            + "identities), besides the edge CA; empty: the edge CA only")
    String mqttClientCaFile() default "";

    @AttributeDefinition(description = "Connections served at once from one remote address (modules on the host "
            + "network and leaf devices behind one NAT share one); more are closed on accept")
    int mqttMaxConnectionsPerAddress() default 64;

    @AttributeDefinition(description = "How far ahead of now, in seconds, a SAS token may expire; a token expiring "
            + "later is refused (default one year)")
    long mqttMaxTokenLifetimeSecs() default 31_536_000;
}
