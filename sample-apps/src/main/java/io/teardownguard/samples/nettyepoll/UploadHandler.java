package io.teardownguard.samples.nettyepoll;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * An upload endpoint on Netty that refuses every upload from its first bytes (the client's head
 * declares more than it accepts). Each connection gets its own handler.
 */
final class UploadHandler extends ChannelInboundHandlerAdapter {

  private static final byte[] CONTENT_TOO_LARGE = ("HTTP/1.1 413 Content Too Large\r\n"
      + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private final boolean drain;
  private boolean answered;

  private UploadHandler(boolean drain) {
    this.drain = drain;
  }

  /** The unsafe endpoint: answers 413 and closes at once. */
  static UploadHandler closing() {
    return new UploadHandler(false);
  }

  /** The safe endpoint: answers 413, shuts its output, reads the rest away, closes at the client's end. */
  static UploadHandler draining() {
    return new UploadHandler(true);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    ReferenceCountUtil.release(message);
    if (answered) {
      return; // the safe variant discards the body it refused
    }
    answered = true;
    if (drain) {
      rejectAfterDraining(context);
    } else {
      rejectOversized(context);
    }
  }

  /**
   * Unsafe: answers 413 and closes. Netty's epoll close is close(2) alone: the body the client is
   * still sending sits unread in the receive queue, so Linux aborts the connection with RST
   * ({@code __tcp_close()}): the client's write fails, and it may never read the 413.
   */
  private static void rejectOversized(ChannelHandlerContext context) {
    context.writeAndFlush(Unpooled.wrappedBuffer(CONTENT_TOO_LARGE));
    context.close();
  }

  /**
   * Safe: answers 413 and sends FIN ({@code shutdownOutput()}), so the client knows the response
   * is complete; the body keeps being read and dropped, and the connection is closed only when
   * the client has ended it (half-closure allowed: Netty then reports the input's end).
   */
  private static void rejectAfterDraining(ChannelHandlerContext context) {
    context.writeAndFlush(Unpooled.wrappedBuffer(CONTENT_TOO_LARGE))
        .addListener(written -> ((DuplexChannel) context.channel()).shutdownOutput());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      context.close(); // everything read: FIN already sent, nothing unread
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    context.close();
  }
}
