package io.outpost.samples.support;

import com.microsoft.azure.sdk.iot.device.Message;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM with a module's {@code IOTEDGE_*} environment: a module as the samples are, on
 * {@link ModuleHost}, sending a numbered message on output {@code out} every 250 ms and printing {@code sent=<n>}
 * for each one the hub acknowledged and {@code attached} each time the host hands it a (new) client.
 */
public final class ReconnectingModuleProbe {

    public static void main(String[] args) throws InterruptedException {
        ModuleHost host = ModuleHost.start(client -> System.out.println("attached"));
        AtomicLong sequence = new AtomicLong();
        Thread sender = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    long n = sequence.incrementAndGet();
                    host.send(new Message(Long.toString(n).getBytes(StandardCharsets.UTF_8)), "out", (m, error, ctx) -> {
                        if (error == null) {
                            System.out.println("sent=" + n);
                        }
                    });
                    Thread.sleep(250);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "probe-send");
        sender.setDaemon(true);
        sender.start();
        host.runUntilStopped(sender::interrupt);
    }
}
