package io.outpost.container.docker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerErrorCode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Translates what docker-java throws into {@link OutpostException}s with a {@link ContainerErrorCode}. */
final class DockerErrors {

    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final URI dockerHost;

    DockerErrors(URI dockerHost) {
        this.dockerHost = dockerHost;
    }

    /**
     * The Outpost exception for a failure of {@code operation} on {@code target}; a 404 means
     * {@code notFound} (a missing container or a missing image, depending on the call).
     */
    OutpostException translate(String operation, String target, Throwable failure, ContainerErrorCode notFound) {
        if (failure instanceof OutpostException outpost) {
            return outpost;
        }
        String what = operation + " " + target;
        if (failure instanceof DockerException engine) {
            return fromEngine(what, engine, notFound);
        }
        if (failure instanceof DockerClientException) {
            return new OutpostException(ContainerErrorCode.ENGINE_ERROR, what + " failed: " + failure.getMessage(),
                    failure);
        }
        if (hasCause(failure, JsonProcessingException.class)) {
            // Jackson's errors are IOExceptions, but the engine did answer: its answer could not be read.
            return new OutpostException(ContainerErrorCode.ENGINE_ERROR, what + " failed: the engine's answer could "
                    + "not be read (" + rootMessage(failure) + ")", failure);
        }
        if (hasCause(failure, SocketTimeoutException.class)) {
            return new OutpostException(ContainerErrorCode.TIMEOUT,
                    what + ": the Docker engine at " + dockerHost + " did not answer in time", failure);
        }
        if (hasCause(failure, IOException.class)) {
            return unavailable(what, failure);
        }
        return new OutpostException(ContainerErrorCode.ENGINE_ERROR, what + " failed: " + failure, failure);
    }

    OutpostException unavailable(String what, Throwable failure) {
        return new OutpostException(ContainerErrorCode.ENGINE_UNAVAILABLE, what + ": no Docker engine answers at "
                + dockerHost + " (" + rootMessage(failure) + "); is the engine running?", failure);
    }

    /** The error for an HTTP status and body the engine returned to a call made without docker-java's commands. */
    OutpostException fromStatus(String what, int status, String body, ContainerErrorCode notFound) {
        ContainerErrorCode code = switch (status) {
            case 400 -> ContainerErrorCode.INVALID_CREATE_OPTIONS;
            case 401 -> ContainerErrorCode.REGISTRY_UNAUTHORIZED;
            case 404 -> notFound;
            case 409 -> ContainerErrorCode.CONTAINER_CONFLICT;
            default -> ContainerErrorCode.ENGINE_ERROR;
        };
        return new OutpostException(code, what + " failed: " + engineMessage(body) + " (HTTP " + status + ")");
    }

    private OutpostException fromEngine(String what, DockerException engine, ContainerErrorCode notFound) {
        String message = what + " failed: " + engineMessage(engine.getMessage());
        if (engine instanceof NotFoundException) {
            return new OutpostException(notFound, message, engine);
        }
        if (engine instanceof ConflictException) {
            return new OutpostException(ContainerErrorCode.CONTAINER_CONFLICT, message, engine);
        }
        if (engine instanceof UnauthorizedException) {
            return new OutpostException(ContainerErrorCode.REGISTRY_UNAUTHORIZED, message, engine);
        }
        if (engine instanceof BadRequestException) {
            return new OutpostException(ContainerErrorCode.ENGINE_ERROR, message, false, engine);
        }
        return new OutpostException(ContainerErrorCode.ENGINE_ERROR, message, engine);
    }

    /** The {@code message} of the engine's JSON error body, or the text itself when it is not one. */
    static String engineMessage(String text) {
        if (text == null) {
            return "no message";
        }
        Matcher m = MESSAGE.matcher(text);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : text.trim();
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
