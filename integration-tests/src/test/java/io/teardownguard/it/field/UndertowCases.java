package io.teardownguard.it.field;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/** Undertow (XNIO's NIO transport): a rejected upload, the no-request timeout. */
final class UndertowCases {
  private static final List<String> SITES = List.of("io.undertow.", "org.xnio.", FieldCase.APPLICATION);

  private UndertowCases() {}

  static List<FieldCase> cases() {
    return List.of(
        new FieldCase("undertow-413-unread-body", SITES, () -> {
          try (Server server = new Server(); RawHttp client = new RawHttp(server.port())) {
            client.send("POST", "/reject", 256 * 1024);
            client.status();
            client.awaitEnd();
          }
        }),
        new FieldCase("undertow-idle-timeout", SITES, () -> {
          try (Server server = new Server(); RawHttp client = new RawHttp(server.port())) {
            client.send("GET", "/small", 0);
            client.response();
            client.awaitEnd();
          }
        }));
  }

  /** Undertow on 127.0.0.1, 300 ms without a request closes a connection; /reject answers 413 unread. */
  private static final class Server implements AutoCloseable {
    final Undertow undertow = Undertow.builder()
        .addHttpListener(0, "127.0.0.1")
        .setIoThreads(1)
        .setWorkerThreads(2)
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 300)
        .setHandler(exchange -> {
          if (exchange.getRequestPath().equals("/reject")) {
            exchange.setStatusCode(413);
            exchange.endExchange();
          } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(new byte[] {'o', 'k'}));
          }
        })
        .build();

    Server() {
      undertow.start();
    }

    int port() {
      return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
      undertow.stop();
    }
  }
}
