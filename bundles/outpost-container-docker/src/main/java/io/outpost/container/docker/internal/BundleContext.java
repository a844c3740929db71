package io.outpost.container.docker.internal;

import java.util.function.Supplier;

/**
 * Runs docker-java code with this bundle's class loader as the thread's context class loader. docker-java
 * and its Jackson look classes up through the context loader, which in OSGi is otherwise a loader that
 * cannot see the libraries embedded in this bundle. Threads docker-java starts for streams inherit it.
 */
final class BundleContext {

    private static final ClassLoader BUNDLE_LOADER = BundleContext.class.getClassLoader();

    private BundleContext() {
    }

    static <T> T call(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(BUNDLE_LOADER);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
