package io.prefixflow.operator.config;

import java.io.Serializable;
import java.net.URI;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The checked values of {@link RemoteOptions}, carried (serialized) into the remote async function. Every
 * check names the option key.
 *
 * @param endpoint       {@link RemoteOptions#ENDPOINT}, without a trailing slash
 * @param model          {@link RemoteOptions#MODEL}, or null to leave it out
 * @param maxInFlight    {@link RemoteOptions#MAX_IN_FLIGHT}
 * @param timeoutMs      {@link RemoteOptions#TIMEOUT} in ms
 * @param maxRetries     {@link RemoteOptions#MAX_RETRIES}
 * @param retryBackoffMs {@link RemoteOptions#RETRY_BACKOFF} in ms
 */
public record RemoteSettings(String endpoint, String model, int maxInFlight, long timeoutMs, int maxRetries,
                             long retryBackoffMs) implements Serializable {
    public RemoteSettings {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException(RemoteOptions.ENDPOINT.key() + " must be set when "
                    + RemoteOptions.SERVING_BACKEND.key() + " is " + ServingBackend.OPENAI);
        }
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RemoteOptions.ENDPOINT.key() + " is not a URL: " + endpoint, e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(RemoteOptions.ENDPOINT.key() + " must be an http:// or https:// URL,"
                    + " got " + endpoint);
        }
        endpoint = endpoint.replaceAll("/+$", "");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException(RemoteOptions.MAX_IN_FLIGHT.key() + " must be >= 1, got " + maxInFlight);
        }
        if (timeoutMs < 1) {
            throw new IllegalArgumentException(RemoteOptions.TIMEOUT.key() + " must be > 0, got " + timeoutMs + " ms");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException(RemoteOptions.MAX_RETRIES.key() + " must be >= 0, got " + maxRetries);
        }
        if (retryBackoffMs < 0) {
            throw new IllegalArgumentException(RemoteOptions.RETRY_BACKOFF.key() + " must be >= 0, got "
                    + retryBackoffMs + " ms");
        }
    }

    /** The remote settings of {@code config}, or null when its serving backend is the engine. */
    public static RemoteSettings from(ReadableConfig config) {
        if (config.get(RemoteOptions.SERVING_BACKEND) != ServingBackend.OPENAI) {
            return null;
        }
        return new RemoteSettings(
                config.getOptional(RemoteOptions.ENDPOINT).orElse(null),
                config.getOptional(RemoteOptions.MODEL).orElse(null),
                config.get(RemoteOptions.MAX_IN_FLIGHT),
                config.get(RemoteOptions.TIMEOUT).toMillis(),
                config.get(RemoteOptions.MAX_RETRIES),
                config.get(RemoteOptions.RETRY_BACKOFF).toMillis());
    }

    /** The URL requests are posted to. */
    public URI completionsUri() {
        return URI.create(endpoint + "/v1/completions");
    }
}
