package io.outpost.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The base of every Pax Exam test: boots the Outpost assembly built by this reactor (its tar.gz, the very
 * file an operator installs) with free ports, and offers helpers to run shell commands and wait for
 * services. Subclasses add options with {@link #extraOptions()}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class OutpostTestSupport {

    /** The roles of the "outpost" console user: everything a shell command may require. */
    protected static final String[] ADMIN_ROLES = {"admin", "manager", "viewer", "systembundles", "ssh"};

    protected static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected FeaturesService featuresService;

    @Inject
    protected SessionFactory sessionFactory;

    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(Arrays.asList(
                karafDistributionConfiguration()
                        .frameworkUrl(assemblyUrl())
                        .name("Outpost")
                        .karafVersion("4.4.10")
                        .unpackDirectory(new File(System.getProperty("project.build.directory", "target"), "exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                // Pax Exam provisions its own "exam" feature: let the runtime find it in the build's repository.
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository")),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", freePort()),
                // the hub's MQTT listener (its other settings keep their defaults)
                editConfigurationFilePut("etc/io.outpost.hub.store.cfg", "mqttTlsPort", HUB_MQTT_PORT),
                // GET /metrics of outpost-metrics (9600 by default)
                editConfigurationFilePut("etc/io.outpost.metrics.cfg", "port", METRICS_PORT)));
        options.addAll(Arrays.asList(extraOptions()));
        return options.toArray(new Option[0]);
    }

    /** Options a test class adds to the runtime (features to install, configuration). */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    private static String assemblyUrl() {
        String path = System.getProperty("outpost.assembly");
        if (path != null && !path.isBlank() && new File(path).isFile()) {
            return new File(path).toURI().toString();
        }
        return maven().groupId("io.outpost").artifactId("outpost-assembly").type("tar.gz").versionAsInProject()
                .getURL();
    }

    /** The port of the hub's MQTT listener (TLS) in the distribution under test. */
    protected static final String HUB_MQTT_PORT = freePort();

    /** The port of GET /metrics in the distribution under test. */
    protected static final String METRICS_PORT = freePort();

    protected static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /**
     * Waits until a shell command is registered: Karaf registers a bundle's commands once every service they
     * reference is available, which may be a little after the features report started.
     */
    protected void awaitCommand(String scope, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sessionFactory.getRegistry().getCommand(scope, name) == null) {
            if (System.nanoTime() > deadline) {
                fail("command " + scope + ":" + name + " not registered within " + timeout);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + scope + ":" + name, e);
            }
        }
    }

    /**
     * Waits until Karaf's command ACL hides an admin command from a viewer. The ACL arrives as a configuration
     * with the feature and Karaf's shell applies it asynchronously, so a test that asserts a refusal right after
     * start first waits for it; the probe only asks for the command's help, which changes nothing.
     */
    protected void awaitHiddenFromViewer(String command, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                executeCommand(command + " --help", COMMAND_TIMEOUT, "viewer", "ssh");
            } catch (AssertionError e) {
                if (e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("Command not found")) {
                    return;
                }
                throw e;
            }
            if (System.nanoTime() > deadline) {
                fail("the command ACL did not hide " + command + " from a viewer within " + timeout);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for the ACL of " + command, e);
            }
        }
    }

    /** Runs a shell command as the admin console user and returns what it printed. */
    protected String executeCommand(String command) {
        return executeCommand(command, COMMAND_TIMEOUT, ADMIN_ROLES);
    }

    /** Runs a shell command with the given roles; fails the test when it throws or outlasts the timeout. */
    protected String executeCommand(String command, Duration timeout, String... roles) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("outpost"));
        Stream.of(roles).map(RolePrincipal::new).forEach(subject.getPrincipals()::add);
        // Each command runs on a thread of its own, as each console session does: Karaf's secured session factory
        // caches per thread whether a command is visible, computed for whoever asked first, and never clears that
        // cache when the command ACL arrives later, so a pooled thread that once ran an admin command would keep
        // showing it to a viewer.
        FutureTask<Object> result = new FutureTask<>(() -> Subject.doAs(subject,
                (PrivilegedExceptionAction<Object>) () -> {
                    Session session = sessionFactory.create(System.in, out, out);
                    try {
                        return session.execute(command);
                    } finally {
                        session.close();
                    }
                }));
        Thread thread = new Thread(result, "itest-command");
        thread.setDaemon(true);
        thread.start();
        try {
            result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            fail("command '" + command + "' did not finish within " + timeout + "; output so far:\n" + bytes);
        } catch (Exception e) {
            throw new AssertionError("command '" + command + "' failed: " + e.getMessage() + "\noutput:\n" + bytes, e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Runs a command that must fail (an unknown command, an ACL refusal) and returns the error message. */
    protected String executeFailingCommand(String command, String... roles) {
        try {
            String output = executeCommand(command, COMMAND_TIMEOUT, roles);
            fail("command '" + command + "' should have failed but printed:\n" + output);
            return output;
        } catch (AssertionError e) {
            if (e.getCause() == null) {
                throw e;
            }
            return String.valueOf(e.getCause().getMessage());
        }
    }

    /** All installed bundles whose symbolic name starts with {@code io.outpost}. */
    protected List<Bundle> outpostBundles() {
        return Stream.of(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.outpost"))
                .collect(Collectors.toList());
    }

    /**
     * Waits for a service of the given type, or fails naming it. The service stays in use until the test class
     * ends: a delayed component is deactivated when its last user lets it go.
     */
    protected <T> T awaitService(Class<T> type, Duration timeout) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(bundleContext, type, null);
        tracker.open();
        trackers.add(tracker);
        try {
            T service = tracker.waitForService(timeout.toMillis());
            assertNotNull("service " + type.getName() + " not available within " + timeout, service);
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + type.getName(), e);
        }
    }

    @After
    public void closeTrackers() {
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
    }

    /** Asserts that exactly one service reference of the type is registered. */
    protected void assertServiceRegistered(Class<?> type) {
        ServiceReference<?>[] refs;
        try {
            refs = bundleContext.getServiceReferences(type.getName(), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        assertEquals("registrations of " + type.getName(), 1, refs == null ? 0 : refs.length);
    }
}
