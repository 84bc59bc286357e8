package io.teardownguard.it.field;

import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/** Jedis against {@link RespPeer}: a close with a server push left unread, a pool closed after use. */
final class JedisCases {
  private static final List<String> SITES = List.of("redis.clients.jedis.", FieldCase.APPLICATION);

  private JedisCases() {}

  static List<FieldCase> cases() {
    return List.of(
        new FieldCase("jedis-close-with-unread-push", SITES, () -> {
          try (RespPeer peer = new RespPeer(">2\r\n$7\r\nmessage\r\n$4\r\nlate\r\n")) {
            try (Jedis jedis = new Jedis("127.0.0.1", peer.port())) {
              jedis.ping();
              Thread.sleep(100);
            }
          }
        }),
        new FieldCase("jedis-pool-closed", SITES, () -> {
          try (RespPeer peer = new RespPeer("")) {
            try (JedisPool pool = new JedisPool("127.0.0.1", peer.port())) {
              for (int i = 0; i < 3; i++) {
                try (Jedis jedis = pool.getResource()) {
                  jedis.set("k" + i, "v");
                  jedis.get("k" + i);
                }
              }
            }
          }
        }));
  }
}
