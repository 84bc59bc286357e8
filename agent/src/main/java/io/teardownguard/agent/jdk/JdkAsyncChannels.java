package io.teardownguard.agent.jdk;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * Reads the JDK's own state of an asynchronous channel ({@code sun.nio.ch.AsynchronousSocketChannelImpl},
 * {@code AsynchronousServerSocketChannelImpl}, identical in JDK 17 and 25), without locks and without
 * syscalls. Made at the first hook call from one of them, so an application that never opens one
 * never loads these classes for the agent.
 *
 * <p>The JDK's rule that makes a descriptor number safe to probe: {@code close()} sets {@code closed}
 * (under its closeLock's write lock) before {@code implClose()} closes the descriptor, once, and the
 * shutdowns and setOption run between {@code begin()} and {@code end()} only while it is false. So a
 * number read while {@code closed} is false, and still false after the probe, was the channel's
 * during the probe; inside {@code implClose()} itself the descriptor is open until its
 * {@code nd.close(fd)}, which comes after the hook.
 */
public final class JdkAsyncChannels {
  private static final String SUN_NIO_CH = "sun.nio.ch.";

  private final Class<?> socketChannel;
  private final VarHandle socketFd;
  private final VarHandle socketState;
  private final int socketConnected;
  private final VarHandle socketClosed;
  private final VarHandle socketReadShutdown;
  private final VarHandle socketWriteShutdown;
  private final VarHandle socketLocal;
  private final VarHandle socketRemote;
  private final VarHandle serverFd;
  private final VarHandle serverClosed;
  private final VarHandle serverLocal;
  private final VarHandle fdInt;

  private JdkAsyncChannels() throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    socketChannel = Class.forName(SUN_NIO_CH + "AsynchronousSocketChannelImpl");
    MethodHandles.Lookup socket = MethodHandles.privateLookupIn(socketChannel, lookup);
    socketFd = socket.findVarHandle(socketChannel, "fd", FileDescriptor.class);
    socketState = socket.findVarHandle(socketChannel, "state", int.class);
    socketConnected = (int) socket.findStaticVarHandle(socketChannel, "ST_CONNECTED", int.class).get();
    socketClosed = socket.findVarHandle(socketChannel, "closed", boolean.class);
    socketReadShutdown = socket.findVarHandle(socketChannel, "readShutdown", boolean.class);
    socketWriteShutdown = socket.findVarHandle(socketChannel, "writeShutdown", boolean.class);
    socketLocal = socket.findVarHandle(socketChannel, "localAddress", InetSocketAddress.class);
    socketRemote = socket.findVarHandle(socketChannel, "remoteAddress", InetSocketAddress.class);
    Class<?> serverChannel = Class.forName(SUN_NIO_CH + "AsynchronousServerSocketChannelImpl");
    MethodHandles.Lookup server = MethodHandles.privateLookupIn(serverChannel, lookup);
    serverFd = server.findVarHandle(serverChannel, "fd", FileDescriptor.class);
    serverClosed = server.findVarHandle(serverChannel, "closed", boolean.class);
    serverLocal = server.findVarHandle(serverChannel, "localAddress", InetSocketAddress.class);
    fdInt = MethodHandles.privateLookupIn(FileDescriptor.class, lookup).findVarHandle(FileDescriptor.class, "fd", int.class);
  }

  /** The handles (loading the two classes); after {@link JdkSockets#openPackages}. */
  public static JdkAsyncChannels create() throws ReflectiveOperationException {
    return new JdkAsyncChannels();
  }

  /** An AsynchronousSocketChannel's implementation (else an AsynchronousServerSocketChannel's). */
  public boolean isSocketChannel(Object channel) {
    return socketChannel.isInstance(channel);
  }

  /** Whether {@code close()} has begun: from then on the descriptor may be closed at any moment. */
  public boolean closed(Object channel) {
    return isSocketChannel(channel) ? (boolean) socketClosed.getVolatile(channel) : (boolean) serverClosed.getVolatile(channel);
  }

  /** The descriptor number, or -1. */
  public int fd(Object channel) {
    FileDescriptor fd = (FileDescriptor) (isSocketChannel(channel) ? socketFd.get(channel) : serverFd.get(channel));
    return fd == null ? -1 : (int) fdInt.get(fd);
  }

  /** Connected: what {@code shutdownInput()}/{@code shutdownOutput()} require (else NotYetConnectedException). */
  public boolean connected(Object channel) {
    return (int) socketState.getVolatile(channel) == socketConnected;
  }

  /**
   * Whether {@code shutdownInput()} took effect; read without the JDK's readLock: a shutdown
   * finishing at this moment is only missed, and the kernel's state says the rest.
   */
  public boolean inputShut(Object channel) {
    return (boolean) socketReadShutdown.get(channel);
  }

  /** As {@link #inputShut}, for {@code shutdownOutput()} (writeLock). */
  public boolean outputShut(Object channel) {
    return (boolean) socketWriteShutdown.get(channel);
  }

  public InetSocketAddress local(Object channel) {
    return (InetSocketAddress) (isSocketChannel(channel) ? socketLocal.getVolatile(channel) : serverLocal.getVolatile(channel));
  }

  /** The peer's address; null for a listener or an unconnected channel. */
  public InetSocketAddress remote(Object channel) {
    return isSocketChannel(channel) ? (InetSocketAddress) socketRemote.getVolatile(channel) : null;
  }

  /** The local port from the JDK's field (no syscall); 0 if unbound. */
  public int localPort(Object channel) {
    InetSocketAddress local = local(channel);
    return local == null ? 0 : local.getPort();
  }
}
