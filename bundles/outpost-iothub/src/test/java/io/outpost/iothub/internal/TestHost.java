package io.outpost.iothub.internal;

import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.IotMessage;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A host for the server's own tests: a client {@code <id>} with user name {@code hub/<id>/?api-version=1} and
 * password {@link #password(String)} is let in; telemetry is collected; the twin is a fixed document.
 */
final class TestHost implements DialectHost {

    record Received(ClientIdentity identity, IotMessage message) {
    }

    final BlockingQueue<Received> telemetry = new LinkedBlockingQueue<>(100_000);
    /** While set, telemetry is taken but completes only when this does (a store that is slow to commit). */
    volatile CompletableFuture<Void> telemetryGate;
    final AtomicLong reportedVersion = new AtomicLong(1);

    static String password(String clientId) {
        return "secret-" + clientId;
    }

    static String username(String clientId) {
        return "hub/" + clientId + "/?api-version=1";
    }

    @Override
    public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
        boolean ok = request.password().equals(Optional.of(password(request.clientId())))
                && request.username().equals(Optional.of(username(request.clientId())));
        return CompletableFuture.completedFuture(ok
                ? Optional.of(new Authenticated(ClientIdentity.parse(request.clientId()), Optional.empty()))
                : Optional.empty());
    }

    @Override
    public CompletionStage<Void> telemetry(ClientIdentity identity, IotMessage message) {
        telemetry.offer(new Received(identity, message));
        CompletableFuture<Void> gate = telemetryGate;
        return gate == null ? CompletableFuture.completedFuture(null) : gate;
    }

    @Override
    public CompletionStage<String> getTwin(ClientIdentity identity) {
        return CompletableFuture.completedFuture("{\"desired\":{\"$version\":1},\"reported\":{\"$version\":"
                + reportedVersion.get() + "}}");
    }

    @Override
    public CompletionStage<Long> patchReported(ClientIdentity identity, String patchJson) {
        return CompletableFuture.completedFuture(reportedVersion.incrementAndGet());
    }
}
