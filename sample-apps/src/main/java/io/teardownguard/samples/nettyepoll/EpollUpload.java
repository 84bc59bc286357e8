package io.teardownguard.samples.nettyepoll;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import io.teardownguard.samples.support.PostClient;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One upload of {@value #BODY_BYTES} bytes to a Netty server on the native epoll transport that
 * refuses it after the first bytes. Netty's epoll sockets close through JNI, never through the
 * JDK's socket classes: the agent sees them through its hooks in {@code io.netty.channel.unix}.
 */
final class EpollUpload {

  static final long BODY_BYTES = 8L * 1024 * 1024;
  private static final long CLOSE_WAIT_SECONDS = 5;

  private EpollUpload() {}

  /** Runs the upload against a server whose connections run {@code handler}; returns a summary. */
  static String run(Supplier<ChannelHandler> handler) throws Exception {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException("Netty's epoll transport is not available", Epoll.unavailabilityCause());
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    List<Channel> connections = new CopyOnWriteArrayList<>();
    try {
      Channel server = new ServerBootstrap()
          .group(group)
          .channel(EpollServerSocketChannel.class)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel child) {
              connections.add(child);
              child.pipeline().addLast(handler.get());
            }
          })
          .bind(new InetSocketAddress(Loopback.address(), 0)).sync().channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      String client = Peer.start("upload-client", () -> PostClient.post(port, "/upload", BODY_BYTES)).await();
      // The server's side ends on its own (at once, or once it has drained the body): stopping the
      // event loop before that would close it with the body unread, a reset of the test's making.
      for (Channel connection : connections) {
        connection.closeFuture().await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      }
      server.close().sync();
      return "epoll upload of " + BODY_BYTES + " bytes rejected with 413; client: " + client;
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
  }
}
