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
 * their system calls. Not a Netty socket (a pipe, an eventfd): {@link #of} is empty.
 */
public final class NettySocket {
  private static final String UNIX_SOCKET = "io.netty.channel.unix.Socket";
  private static final ClassValue<Optional<NettySocket>> BY_CLASS = new ClassValue<>() {
    @Override
    protected Optional<NettySocket> computeValue(Class<?> type) {
      return create(type);
    }
  };

  private final MethodHandle fd;
  private final MethodHandle open;
  private final MethodHandle inputShut;
  private final MethodHandle outputShut;
  private final MethodHandle local;
  private final MethodHandle remote;
  private final String transport;

  private NettySocket(Class<?> unixSocket, String transport) throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    fd = handle(lookup, unixSocket, "intValue", int.class);
    open = handle(lookup, unixSocket, "isOpen", boolean.class);
    inputShut = handle(lookup, unixSocket, "isInputShutdown", boolean.class);
    outputShut = handle(lookup, unixSocket, "isOutputShutdown", boolean.class);
    local = handle(lookup, unixSocket, "localAddress", InetSocketAddress.class);
    remote = handle(lookup, unixSocket, "remoteAddress", InetSocketAddress.class);
    this.transport = transport;
  }

  /** The reader for {@code socket}'s class, or empty when it is not a Netty socket. */
  public static Optional<NettySocket> of(Object socket) {
    return BY_CLASS.get(socket.getClass());
  }

  private static Optional<NettySocket> create(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(UNIX_SOCKET)) {
        try {
          return Optional.of(new NettySocket(c, transportOf(type)));
        } catch (ReflectiveOperationException | RuntimeException e) {
          return Optional.empty(); // a Netty whose Socket differs: left alone
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The transport's channel class prefix, from the socket's class: epoll's and io_uring's each
   * have their own {@code LinuxSocket}.
   */
  private static String transportOf(Class<?> type) {
    return switch (type.getPackageName()) {
      case "io.netty.channel.epoll" -> "io.netty.channel.epoll.Epoll";
      case "io.netty.channel.uring", "io.netty.incubator.channel.uring" -> type.getPackageName() + ".IoUring";
      case "io.netty.channel.kqueue" -> "io.netty.channel.kqueue.KQueue";
      default -> null;
    };
  }

  private static MethodHandle handle(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> returns)
      throws ReflectiveOperationException {
    return lookup.findVirtual(owner, name, MethodType.methodType(returns))
        .asType(MethodType.methodType(returns, Object.class));
  }

  public int fd(Object socket) throws Throwable {
    return (int) fd.invokeExact(socket);
  }

  /** Not yet marked closed: a markClosed() now is the one that closes. */
  public boolean isOpen(Object socket) throws Throwable {
    return (boolean) open.invokeExact(socket);
  }

  public boolean inputShut(Object socket) throws Throwable {
    return (boolean) inputShut.invokeExact(socket);
  }

  public boolean outputShut(Object socket) throws Throwable {
    return (boolean) outputShut.invokeExact(socket);
  }

  /** getsockname, by Netty's JNI; null when it fails (the descriptor is no longer a socket). */
  public InetSocketAddress local(Object socket) {
    try {
      return (InetSocketAddress) local.invokeExact(socket);
    } catch (Throwable t) {
      return null;
    }
  }

  /** getpeername, by Netty's JNI; null when not connected. */
  public InetSocketAddress remote(Object socket) {
    try {
      return (InetSocketAddress) remote.invokeExact(socket);
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * Whether its close is queued to io_uring (IORING_OP_CLOSE, submitted with the ring's next
   * batch) rather than made at once: io_uring's {@code doClose} for a registered channel. A
   * never-registered io_uring socket is closed at once, but is counted here too.
   */
  public boolean closeQueued() {
    return transport != null && transport.endsWith(".IoUring");
  }

  /**
   * The channel class the application uses for this socket, e.g.
   * {@code io.netty.channel.epoll.EpollSocketChannel}: the transport's TCP channel for its role
   * (a subclass the application made of it is named as the transport's class).
   */
  public String channelClass(Object socket, boolean listener) {
    if (transport == null) {
      return socket.getClass().getName();
    }
    return transport + (listener ? "ServerSocketChannel" : "SocketChannel");
  }
}
