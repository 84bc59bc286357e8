package io.teardownguard.agent.netty;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Reads one of Netty's native sockets ({@code io.netty.channel.unix.Socket}: epoll's and
 * io_uring's {@code LinuxSocket}) through its public methods, with handles made once per socket
 * class (a {@link ClassValue}: a class loader that goes away takes its entry along). The facts
 * are Netty's own: the descriptor it holds, and the closed, input-shut and output-shut bits of
 * {@code FileDescriptor.state}, which its {@code shutdown} and {@code markClosed} flip before
 * their system calls. Not a socket of Netty's epoll or io_uring transport (a pipe, an eventfd,
 * kqueue's): {@link #of} is empty. Nothing here throws: a read that fails answers as for a
 * socket that is gone.
 */
public final class NettySocket {
  private static final String UNIX_SOCKET = "io.netty.channel.unix.Socket";
  /** Linux's SOL_SOCKET, SO_ACCEPTCONN, SO_PROTOCOL and IPPROTO_TCP (asm-generic/socket.h, netinet/in.h). */
  private static final int SOL_SOCKET = 1;
  private static final int SO_ACCEPTCONN = 30;
  private static final int SO_PROTOCOL = 38;
  private static final int IPPROTO_TCP = 6;

  private static final ClassValue<Optional<NettySocket>> BY_CLASS = new ClassValue<>() {
    @Override
    protected Optional<NettySocket> computeValue(Class<?> type) {
      return create(type);
    }
  };

  /** Netty's native transports whose sockets this reads. */
  public enum Transport {
    EPOLL,
    IO_URING
  }

  private final MethodHandle fd;
  private final MethodHandle open;
  private final MethodHandle inputShut;
  private final MethodHandle outputShut;
  private final MethodHandle local;
  private final MethodHandle remote;
  private final MethodHandle intOption;
  private final Transport transport;

  private NettySocket(Class<?> unixSocket, Transport transport) throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    fd = handle(lookup, unixSocket, "intValue", MethodType.methodType(int.class));
    open = handle(lookup, unixSocket, "isOpen", MethodType.methodType(boolean.class));
    inputShut = handle(lookup, unixSocket, "isInputShutdown", MethodType.methodType(boolean.class));
    outputShut = handle(lookup, unixSocket, "isOutputShutdown", MethodType.methodType(boolean.class));
    local = handle(lookup, unixSocket, "localAddress", MethodType.methodType(InetSocketAddress.class));
    remote = handle(lookup, unixSocket, "remoteAddress", MethodType.methodType(InetSocketAddress.class));
    intOption = handle(lookup, unixSocket, "getIntOpt", MethodType.methodType(int.class, int.class, int.class));
    this.transport = transport;
  }

  /** The reader for {@code socket}'s class, or empty when it is not an epoll or io_uring socket. */
  public static Optional<NettySocket> of(Object socket) {
    return BY_CLASS.get(socket.getClass());
  }

  private static Optional<NettySocket> create(Class<?> type) {
    // epoll's and io_uring's sockets are each their own LinuxSocket, a subclass of unix.Socket.
    Transport transport = switch (type.getName()) {
      case "io.netty.channel.epoll.LinuxSocket" -> Transport.EPOLL;
      case "io.netty.channel.uring.LinuxSocket" -> Transport.IO_URING;
      default -> null;
    };
    for (Class<?> c = type; c != null && transport != null; c = c.getSuperclass()) {
      if (c.getName().equals(UNIX_SOCKET)) {
        try {
          return Optional.of(new NettySocket(c, transport));
        } catch (ReflectiveOperationException | RuntimeException e) {
          return Optional.empty(); // a Netty whose Socket differs: left alone
        }
      }
    }
    return Optional.empty();
  }

  private static MethodHandle handle(MethodHandles.Lookup lookup, Class<?> owner, String name, MethodType type)
      throws ReflectiveOperationException {
    return lookup.findVirtual(owner, name, type).asType(type.insertParameterTypes(0, Object.class));
  }

  public Transport transport() {
    return transport;
  }

  /** The descriptor number, or -1. */
  public int fd(Object socket) {
    try {
      return (int) fd.invokeExact(socket);
    } catch (Throwable t) {
      return -1;
    }
  }

  /** Not yet marked closed: a markClosed() now is the one that closes, and the number is its own. */
  public boolean isOpen(Object socket) {
    try {
      return (boolean) open.invokeExact(socket);
    } catch (Throwable t) {
      return false;
    }
  }

  public boolean inputShut(Object socket) {
    try {
      return (boolean) inputShut.invokeExact(socket);
    } catch (Throwable t) {
      return true;
    }
  }

  public boolean outputShut(Object socket) {
    try {
      return (boolean) outputShut.invokeExact(socket);
    } catch (Throwable t) {
      return true;
    }
  }

  /** getsockname, by Netty's JNI; null when it fails. */
  public InetSocketAddress local(Object socket) {
    try {
      return (InetSocketAddress) local.invokeExact(socket);
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * getpeername, by Netty's JNI; null when the kernel holds the socket unconnected: CLOSE (reset,
   * or ended on both sides), SYN_SENT, LISTEN ({@code inet_getname}'s ENOTCONN).
   */
  public InetSocketAddress remote(Object socket) {
    try {
      return (InetSocketAddress) remote.invokeExact(socket);
    } catch (Throwable t) {
      return null;
    }
  }

  /** A TCP socket (SO_PROTOCOL), not one of Netty's domain or datagram sockets. */
  public boolean isTcp(Object socket) {
    return intOption(socket, SO_PROTOCOL) == IPPROTO_TCP;
  }

  /** A listening socket (SO_ACCEPTCONN): Netty keeps no such flag on the socket. */
  public boolean isListener(Object socket) {
    return intOption(socket, SO_ACCEPTCONN) == 1;
  }

  private int intOption(Object socket, int option) {
    try {
      return (int) intOption.invokeExact(socket, SOL_SOCKET, option);
    } catch (Throwable t) {
      return -1;
    }
  }
}
