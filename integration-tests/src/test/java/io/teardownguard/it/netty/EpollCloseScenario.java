package io.teardownguard.it.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A Netty epoll server that closes each connection on its first read, with the rest of a 64 KiB
 * request unread (a RST), loaded by {@link NettyNativeChild} on a class loader of its own. Static
 * methods only: the child calls them by reflection across the loaders.
 */
public final class EpollCloseScenario {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final Channel server;

  private EpollCloseScenario() throws InterruptedException {
    server = new ServerBootstrap()
        .group(group)
        .channel(EpollServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel child) {
            child.pipeline().addLast(new CloseOnFirstRead());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  /** Starts the server: Netty's native classes are loaded from here on. */
  public static Object start() throws InterruptedException {
    return new EpollCloseScenario();
  }

  /** One client sends 64 KiB and reads until the server's reset; then the server stops. */
  public static String run(Object started) throws IOException, InterruptedException {
    EpollCloseScenario scenario = (EpollCloseScenario) started;
    String client;
    try (Socket socket = new Socket()) {
      socket.connect(scenario.server.localAddress(), 5_000);
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(new byte[64 * 1024]);
      InputStream in = socket.getInputStream();
      while (in.read(new byte[4096]) >= 0) {
        // until the server's reset
      }
      client = "EOF";
    } catch (IOException e) {
      client = e.getMessage();
    }
    scenario.server.close().sync();
    scenario.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    return "client saw: " + client + " from port " + ((InetSocketAddress) scenario.server.localAddress()).getPort();
  }

  /** The call site the agent must name. */
  static final class CloseOnFirstRead extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      ReferenceCountUtil.release(message);
      context.close();
    }
  }
}
