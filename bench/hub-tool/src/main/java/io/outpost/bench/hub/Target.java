package io.outpost.bench.hub;

/**
 * A broker the scenarios run against, described by the MQTT identities its clients take: the scenarios' code is
 * the same for every target, only client ids, credentials and topics differ.
 */
interface Target {

    /** What a client connects as, and its topic (publishers) or topic filter (the subscriber). */
    record ClientSpec(String clientId, String userName, String password, String topic) {
    }

    String name();

    /** {@code tcp://host:port}. */
    String serverUri();

    /** How many distinct publisher identities there are (fan-in uses that many). */
    int publishers();

    /** Publisher {@code index} (0-based), with a fresh password. */
    ClientSpec publisher(int index);

    /** The one subscriber, with a fresh password. */
    ClientSpec subscriber();
}
