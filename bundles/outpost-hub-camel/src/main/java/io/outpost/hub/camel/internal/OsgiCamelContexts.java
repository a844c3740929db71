package io.outpost.hub.camel.internal;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.osgi.framework.BundleContext;

/**
 * Creates Camel's OSGi-aware context ({@code org.apache.camel.core.osgi.OsgiDefaultCamelContext}, from the
 * camel-core-osgi bundle of the camel-core feature), which resolves components, languages and type converters
 * through OSGi. It is created reflectively because camel-core-osgi's POM names a parent POM that the build's
 * Maven repository does not serve, so the bundle cannot be a compile dependency; the package is imported
 * explicitly in the bundle manifest.
 */
final class OsgiCamelContexts {

    private static final String OSGI_CONTEXT = "org.apache.camel.core.osgi.OsgiDefaultCamelContext";

    private OsgiCamelContexts() {
    }

    static CamelContext create(BundleContext bundleContext, String name) throws ReflectiveOperationException {
        Class<?> type = Class.forName(OSGI_CONTEXT, true, OsgiCamelContexts.class.getClassLoader());
        DefaultCamelContext context = (DefaultCamelContext) type.getConstructor(BundleContext.class)
                .newInstance(bundleContext);
        context.setName(name);
        return context;
    }
}
