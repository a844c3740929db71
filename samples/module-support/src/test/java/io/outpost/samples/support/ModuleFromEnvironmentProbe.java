package io.outpost.samples.support;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Run in a child JVM whose environment is a module's {@code IOTEDGE_*} variables: creates Azure's ModuleClient from
 * the environment with {@link JdkUnixDomainSocketChannel} (which signs its first SAS token and fetches the trust
 * bundle through the workload API), prints the token, then handshakes TLS with the SDK's SSL context against a
 * server on 127.0.0.1 at the port given as argument, checking the host name {@code localhost}.
 */
public final class ModuleFromEnvironmentProbe {

    public static void main(String[] args) throws Exception {
        ModuleClient client = ModuleClient.createFromEnvironment(new JdkUnixDomainSocketChannel(), IotHubClientProtocol.MQTT);
        System.out.println("token=" + new String(client.getConfig().getSasTokenAuthentication().getSasToken()));
        SSLContext context = client.getConfig().getAuthenticationProvider().getSSLContext();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", Integer.parseInt(args[0]))) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            System.out.println("peer=" + socket.getSession().getPeerPrincipal().getName());
        }
    }
}
