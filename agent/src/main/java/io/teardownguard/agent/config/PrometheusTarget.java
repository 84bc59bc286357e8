package io.teardownguard.agent.config;

/**
 * Where {@code metrics=prometheus:PORT} (or {@code prometheus:HOST:PORT}) serves the Prometheus
 * text format. Without a host it is the loopback address only: the endpoint has no
 * authentication, so exposing it beyond this host must be asked for by name.
 *
 * @param host the address to bind, {@code 127.0.0.1} unless given
 * @param port 1 to 65535
 */
public record PrometheusTarget(String host, int port) {
  private static final String PREFIX = "prometheus:";

  /** The parsed value, or null when it is not {@code prometheus:PORT} or {@code prometheus:HOST:PORT}. */
  public static PrometheusTarget parse(String value) {
    if (!value.startsWith(PREFIX)) {
      return null;
    }
    String rest = value.substring(PREFIX.length());
    int colon = rest.lastIndexOf(':');
    String host = colon < 0 ? "127.0.0.1" : rest.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // [::1]:9464
    }
    if (host.isEmpty()) {
      return null;
    }
    try {
      int port = Integer.parseInt(rest.substring(colon + 1));
      return port >= 1 && port <= 65535 ? new PrometheusTarget(host, port) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
