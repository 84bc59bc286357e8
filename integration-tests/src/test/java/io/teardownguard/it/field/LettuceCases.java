package io.teardownguard.it.field;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce (a Redis client on Netty) against {@link RespPeer}, once on Netty's NIO transport and
 * once on epoll, which Lettuce picks by itself when Netty's native epoll is on the class path,
 * and Netty 4.2's io_uring when epoll is turned off (system properties
 * {@code io.lettuce.core.epoll} and {@code io.lettuce.core.iouring}, read once when Lettuce first
 * looks: each transport runs in a JVM of its own). Netty reads whatever arrives (auto-read), so unlike Jedis
 * Lettuce leaves nothing unread in the kernel: a reply the application never asked for is read
 * and dropped, and its close is a FIN.
 */
final class LettuceCases {
  private static final List<String> SITES = List.of("io.lettuce.", "io.netty.", FieldCase.APPLICATION);
  private static final String EPOLL_PROPERTY = "io.lettuce.core.epoll";
  private static final String IO_URING_PROPERTY = "io.lettuce.core.iouring";
  /** Commands in flight when the application closes the connection: enough that replies are still coming. */
  private static final int PIPELINED = 2_000;

  private LettuceCases() {}

  /** On Netty's NIO transport: Lettuce told to use neither epoll nor io_uring before it first looks. */
  static List<FieldCase> nio() {
    System.setProperty(EPOLL_PROPERTY, "false");
    System.setProperty(IO_URING_PROPERTY, "false");
    return cases("lettuce-nio-");
  }

  /** On Netty's epoll transport, Lettuce's own choice here. */
  static List<FieldCase> epoll() {
    return cases("lettuce-epoll-");
  }

  private static List<FieldCase> cases(String prefix) {
    return List.of(
        new FieldCase(prefix + "unsolicited-push-then-close", SITES, () -> {
          try (RespPeer peer = new RespPeer(">2\r\n$7\r\nmessage\r\n$4\r\nlate\r\n")) {
            RedisClient client = client();
            try (StatefulRedisConnection<String, String> connection = client.connect(uri(peer))) {
              connection.sync().ping();
              Thread.sleep(100);
            } finally {
              shutdown(client);
            }
          }
        }, true),
        // The application closes with 2,000 GETs in flight: replies still arriving when Lettuce's
        // channel closes reset it (data after close), a fact after the close's probe; the bound
        // is the case's one client endpoint.
        new FieldCase(prefix + "close-with-replies-pending", SITES, () -> {
          try (RespPeer peer = new RespPeer("")) {
            RedisClient client = client();
            try {
              StatefulRedisConnection<String, String> connection = client.connect(uri(peer));
              List<RedisFuture<String>> pending = new ArrayList<>();
              for (int i = 0; i < PIPELINED; i++) {
                pending.add(connection.async().get("k" + i));
              }
              connection.close();
            } finally {
              shutdown(client);
            }
          }
        }).racing(1),
        new FieldCase(prefix + "server-quits", SITES, () -> {
          try (RespPeer peer = new RespPeer("")) {
            RedisClient client = client();
            try (StatefulRedisConnection<String, String> connection = client.connect(uri(peer))) {
              connection.sync().set("k", "v");
              connection.sync().quit();
              Thread.sleep(100);
            } finally {
              shutdown(client);
            }
          }
        }, true));
  }

  /** RESP2 (RespPeer answers HELLO with an error), and no reconnect once the peer has closed. */
  private static RedisClient client() {
    RedisClient client = RedisClient.create();
    client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).autoReconnect(false).build());
    return client;
  }

  private static RedisURI uri(RespPeer peer) {
    return RedisURI.builder().withHost("127.0.0.1").withPort(peer.port()).withTimeout(Duration.ofSeconds(5)).build();
  }

  private static void shutdown(RedisClient client) {
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
