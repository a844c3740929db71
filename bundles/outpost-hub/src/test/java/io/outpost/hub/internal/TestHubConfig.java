package io.outpost.hub.internal;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.osgi.framework.BundleContext;

/** The hub's configuration and a bundle context as the components get them in tests, outside OSGi. */
final class TestHubConfig {

    private TestHubConfig() {
    }

    /** The given values, every other setting its declared default. */
    static HubConfig of(Map<String, Object> values) {
        return (HubConfig) Proxy.newProxyInstance(TestHubConfig.class.getClassLoader(),
                new Class<?>[] {HubConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return HubConfig.class;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    /** Outside OSGi there are no framework properties ({@code karaf.data} is not needed when dataDir is set). */
    static BundleContext bundleContext() {
        return (BundleContext) Proxy.newProxyInstance(TestHubConfig.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> null);
    }
}
