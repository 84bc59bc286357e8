package io.teardownguard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The churn server: one thread accepts a connection, reads the whole request, writes the
 * response and closes first. Closing first is the common server pattern (HTTP/1.0, a
 * request-per-connection RPC) and leaves TIME_WAIT on this side; with nothing unread the close
 * sends a FIN, never a RST, so the agent reports no finding.
 */
final class ChurnServer implements AutoCloseable {
  private final ServerSocket listener;
  private final Thread thread;
  private final byte[] response = new byte[ChurnProtocol.RESPONSE_BYTES];
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile String firstError;
  private volatile boolean stopping;

  ChurnServer() throws IOException {
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress(ChurnProtocol.serverAddress(), 0), 128);
    thread = new Thread(this::acceptLoop, "churn-server");
    thread.setDaemon(true); // never keeps the JVM alive if close() is not reached
    thread.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  long served() {
    return served.get();
  }

  long errors() {
    return errors.get();
  }

  /** The first failure's message, or null. */
  String firstError() {
    return firstError;
  }

  /** Runs until close(): closing the listener wakes a blocked accept with a SocketException. */
  private void acceptLoop() {
    while (!stopping && !listener.isClosed()) {
      try (Socket connection = listener.accept()) {
        serve(connection);
        served.incrementAndGet();
      } catch (SocketException e) {
        if (!stopping) {
          fail(e);
        }
      } catch (IOException | RuntimeException e) {
        fail(e);
      }
    }
  }

  private void serve(Socket connection) throws IOException {
    connection.setSoTimeout(ChurnProtocol.TIMEOUT_MILLIS);
    InputStream in = connection.getInputStream();
    byte[] request = new byte[ChurnProtocol.REQUEST_BYTES];
    if (in.readNBytes(request, 0, request.length) != request.length) {
      throw new IOException("the client sent fewer than " + request.length + " bytes");
    }
    connection.getOutputStream().write(response);
  }

  private void fail(Exception e) {
    if (errors.getAndIncrement() == 0) {
      firstError = e.toString();
    }
  }

  @Override
  public void close() throws IOException {
    stopping = true;
    listener.close();
    try {
      thread.join(ChurnProtocol.TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
