package io.teardownguard.samples.closewithunreaddata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The upload endpoint of {@link UploadServer}, built on completion handlers
 * ({@code AsynchronousServerSocketChannel}, NIO.2) as such servers are: each step starts the next
 * from its handler, on the channel group's threads, and no thread waits on a socket.
 */
final class AsyncUploadServer {

  private static final int HEAD_BUFFER_BYTES = 8 * 1024;
  /** As {@link UploadServer}'s bound on what the safe variant reads and throws away. */
  private static final long MAX_DRAIN_BYTES = 16 * 1024 * 1024;
  private static final long AWAIT_SECONDS = 5;

  private static final byte[] CONTENT_TOO_LARGE = ("HTTP/1.1 413 Content Too Large\r\n"
      + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  /** How the connection ends once the 413 is written: the step the two variants differ in. */
  @FunctionalInterface
  interface Rejection {
    void end(AsynchronousSocketChannel connection, CompletableFuture<String> done) throws IOException;
  }

  /** What a handler does with a result; a thrown exception fails the exchange. */
  @FunctionalInterface
  private interface Step<V> {
    void next(V result) throws IOException;
  }

  private AsyncUploadServer() {}

  /** Accepts one upload, reads its head, answers 413 and ends it with {@code rejection}. */
  static String refuseOne(AsynchronousServerSocketChannel listener, Rejection rejection) throws Exception {
    CompletableFuture<String> done = new CompletableFuture<>();
    listener.accept(null, handler(done,
        connection -> readHead(connection, ByteBuffer.allocate(HEAD_BUFFER_BYTES), rejection, done)));
    return done.get(AWAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Reads until the head's blank line; the body's first bytes arrive in the same reads. */
  private static void readHead(AsynchronousSocketChannel connection, ByteBuffer head, Rejection rejection,
      CompletableFuture<String> done) {
    connection.read(head, null, handler(done, count -> {
      String text = new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII);
      if (text.contains("\r\n\r\n")) {
        answer(connection, ByteBuffer.wrap(CONTENT_TOO_LARGE), rejection, done);
      } else if (count < 0 || !head.hasRemaining()) {
        connection.close();
        done.complete("no request head");
      } else {
        readHead(connection, head, rejection, done);
      }
    }));
  }

  private static void answer(AsynchronousSocketChannel connection, ByteBuffer response, Rejection rejection,
      CompletableFuture<String> done) {
    connection.write(response, null, handler(done, count -> {
      if (response.hasRemaining()) {
        answer(connection, response, rejection, done);
      } else {
        rejection.end(connection, done);
      }
    }));
  }

  /**
   * Unsafe: closes as soon as the 413 is written. The body the client is still sending sits
   * unread in the receive queue, so close(2) (UnixAsynchronousSocketChannelImpl.implClose())
   * resets the connection ({@code __tcp_close()}): the client's writes fail with "Connection
   * reset" and it may never read the 413.
   */
  static void rejectOversized(AsynchronousSocketChannel connection, CompletableFuture<String> done)
      throws IOException {
    connection.close();
    done.complete("closed after the 413");
  }

  /**
   * Safe: after the 413, {@code shutdownOutput()} sends FIN so the client knows the response is
   * complete; then the handler reads and discards the body until the client closes (bounded), and
   * only then closes: nothing is unread, no RST.
   */
  static void rejectOversizedAfterDraining(AsynchronousSocketChannel connection, CompletableFuture<String> done)
      throws IOException {
    connection.shutdownOutput();
    drain(connection, ByteBuffer.allocate(64 * 1024), 0, done);
  }

  private static void drain(AsynchronousSocketChannel connection, ByteBuffer buffer, long drained,
      CompletableFuture<String> done) {
    buffer.clear();
    connection.read(buffer, null, handler(done, count -> {
      if (count < 0 || drained + count >= MAX_DRAIN_BYTES) {
        connection.close();
        done.complete("closed after the 413 and " + (drained + Math.max(count, 0)) + " body bytes drained");
      } else {
        drain(connection, buffer, drained + count, done);
      }
    }));
  }

  private static <V> CompletionHandler<V, Void> handler(CompletableFuture<String> done, Step<V> step) {
    return new CompletionHandler<>() {
      @Override
      public void completed(V result, Void attachment) {
        try {
          step.next(result);
        } catch (IOException | RuntimeException e) {
          done.completeExceptionally(e);
        }
      }

      @Override
      public void failed(Throwable error, Void attachment) {
        done.completeExceptionally(error);
      }
    };
  }
}
