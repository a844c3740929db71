package io.outpost.bench.hub;

/** Mosquitto with plain topics and anonymous clients: every publisher on {@code bench/in}, one subscriber. */
final class MosquittoTarget implements Target {

    private static final String TOPIC = "bench/in";
    private final int port;
    private final String version;

    MosquittoTarget(int port, String version) {
        this.port = port;
        this.version = version;
    }

    @Override
    public String name() {
        return version.isBlank() ? "Mosquitto" : "Mosquitto " + version;
    }

    @Override
    public String serverUri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public int publishers() {
        return Integer.MAX_VALUE;
    }

    @Override
    public ClientSpec publisher(int index) {
        return new ClientSpec("bench-pub-" + index, null, null, TOPIC);
    }

    @Override
    public ClientSpec subscriber() {
        return new ClientSpec("bench-sub", null, null, TOPIC);
    }
}
