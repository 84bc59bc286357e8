package io.teardownguard.agent.jdk;

import java.io.FileDescriptor;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.StandardProtocolFamily;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JDK's own state of a socket, without locks and without syscalls: the fields of
 * {@code NioSocketImpl} and {@code SocketChannelImpl} that the JDK itself consults in close(),
 * each family's handles made when it is first read.
 * Field names and state constants are looked up, not hard-coded, so a JDK that renamed them
 * fails the agent's self-test instead of being misread.
 */
public final class JdkSockets {
  private static final String SUN_NIO_CH = "sun.nio.ch";

  private final MethodHandle localAddressOfFd;
  private final VarHandle socketsImpl;
  private final VarHandle serverSocketsImpl;
  private final VarHandle delegateOf;
  private final Class<?> delegatingImpl;

  /** The socket family's handles (NioSocketImpl, Socket, ServerSocket), which the self-test's Socket loads anyway. */
  private JdkSockets() throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    Impl.check();
    socketsImpl = MethodHandles.privateLookupIn(Socket.class, lookup).findVarHandle(Socket.class, "impl", SocketImpl.class);
    serverSocketsImpl = MethodHandles.privateLookupIn(ServerSocket.class, lookup)
        .findVarHandle(ServerSocket.class, "impl", SocketImpl.class);
    delegatingImpl = Class.forName("java.net.DelegatingSocketImpl");
    delegateOf = MethodHandles.privateLookupIn(delegatingImpl, lookup)
        .findVarHandle(delegatingImpl, "delegate", SocketImpl.class);
    Class<?> net = Class.forName(SUN_NIO_CH + ".Net");
    localAddressOfFd = MethodHandles.privateLookupIn(net, lookup)
        .findStatic(net, "localAddress", MethodType.methodType(InetSocketAddress.class, FileDescriptor.class));
  }

  /**
   * NioSocketImpl's handles, static final: the JIT compiles a read through a constant VarHandle to
   * a field load, where one held in an instance field is a call through the handle at each read,
   * a dozen per close (issue 14). Made at the first {@link #create}, after {@link #openPackages}.
   */
  private static final class Impl {
    /** The first lookup that failed, set while the class initialises; null when all succeeded. */
    private static ReflectiveOperationException failure;
    static final Class<?> TYPE = type(SUN_NIO_CH + ".NioSocketImpl");
    static final VarHandle STATE = field(TYPE, "state", int.class);
    static final VarHandle SERVER = field(TYPE, "server", boolean.class);
    static final VarHandle INPUT_CLOSED = field(TYPE, "isInputClosed", boolean.class);
    static final VarHandle OUTPUT_CLOSED = field(TYPE, "isOutputClosed", boolean.class);
    static final VarHandle READ_EOF = field(TYPE, "readEOF", boolean.class);
    static final int CONNECTED = constant(TYPE, "ST_CONNECTED");
    static final int CLOSING = constant(TYPE, "ST_CLOSING");
    static final VarHandle FD = field(SocketImpl.class, "fd", FileDescriptor.class);
    static final VarHandle ADDRESS = field(SocketImpl.class, "address", InetAddress.class);
    static final VarHandle PORT = field(SocketImpl.class, "port", int.class);
    static final VarHandle LOCAL_PORT = field(SocketImpl.class, "localport", int.class);
    static final VarHandle FD_INT = field(FileDescriptor.class, "fd", int.class);

    /** Throws the first lookup's failure (a JDK that renamed a field: the self-test fails). */
    static void check() throws ReflectiveOperationException {
      if (failure != null) {
        throw failure;
      }
    }

    private static Class<?> type(String name) {
      try {
        return Class.forName(name);
      } catch (ClassNotFoundException e) {
        failed(e);
        return Object.class;
      }
    }

    private static VarHandle field(Class<?> type, String name, Class<?> fieldType) {
      try {
        return MethodHandles.privateLookupIn(type, MethodHandles.lookup()).findVarHandle(type, name, fieldType);
      } catch (ReflectiveOperationException e) {
        failed(e);
        return null;
      }
    }

    private static int constant(Class<?> type, String name) {
      try {
        return (int) MethodHandles.privateLookupIn(type, MethodHandles.lookup())
            .findStaticVarHandle(type, name, int.class).get();
      } catch (ReflectiveOperationException e) {
        failed(e);
        return -1;
      }
    }

    private static void failed(ReflectiveOperationException e) {
      if (failure == null) {
        failure = e;
      }
    }
  }

  /**
   * The channel family's handles (SocketChannelImpl, ServerSocketChannelImpl), made at the first
   * call that reads a channel, that is at the first channel's hook: a program that never opens
   * a channel loads neither class (nor, through them, the selector machinery), which was 20 to 30
   * ms of a short-lived JVM's CPU with the agent (issue 14). A class's initializer runs once and
   * is thread-safe; a JDK that renamed a field fails each channel's hook (counted as an internal
   * error) instead of being misread.
   */
  private static final class Channels {
    static final Channels HANDLES;

    static {
      try {
        HANDLES = new Channels();
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Class<?> socketChannelImpl;
    final VarHandle channelState;
    final VarHandle channelInputClosed;
    final VarHandle channelOutputClosed;
    final VarHandle channelLocal;
    final VarHandle channelRemote;
    final int channelConnected;
    final int channelClosing;
    final VarHandle channelFamily;
    final VarHandle serverChannelState;
    final VarHandle serverChannelFamily;
    final int serverChannelClosing;
    final MethodHandle channelFd;
    final MethodHandle serverChannelFd;
    final VarHandle serverChannelLocal;
    final VarHandle keyCount;
    final VarHandle channelAdaptor;
    final VarHandle serverChannelAdaptor;

    private Channels() throws ReflectiveOperationException {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      socketChannelImpl = Class.forName(SUN_NIO_CH + ".SocketChannelImpl");
      Class<?> serverSocketChannelImpl = Class.forName(SUN_NIO_CH + ".ServerSocketChannelImpl");
      MethodHandles.Lookup channel = MethodHandles.privateLookupIn(socketChannelImpl, lookup);
      channelState = channel.findVarHandle(socketChannelImpl, "state", int.class);
      channelInputClosed = channel.findVarHandle(socketChannelImpl, "isInputClosed", boolean.class);
      channelOutputClosed = channel.findVarHandle(socketChannelImpl, "isOutputClosed", boolean.class);
      channelLocal = channel.findVarHandle(socketChannelImpl, "localAddress", SocketAddress.class);
      channelRemote = channel.findVarHandle(socketChannelImpl, "remoteAddress", SocketAddress.class);
      channelConnected = (int) channel.findStaticVarHandle(socketChannelImpl, "ST_CONNECTED", int.class).get();
      channelClosing = (int) channel.findStaticVarHandle(socketChannelImpl, "ST_CLOSING", int.class).get();
      channelFamily = channel.findVarHandle(socketChannelImpl, "family", ProtocolFamily.class);
      channelFd = channel.findVirtual(socketChannelImpl, "getFDVal", MethodType.methodType(int.class));
      MethodHandles.Lookup server = MethodHandles.privateLookupIn(serverSocketChannelImpl, lookup);
      serverChannelFd = server.findVirtual(serverSocketChannelImpl, "getFDVal", MethodType.methodType(int.class));
      serverChannelLocal = server.findVarHandle(serverSocketChannelImpl, "localAddress", SocketAddress.class);
      serverChannelState = server.findVarHandle(serverSocketChannelImpl, "state", int.class);
      serverChannelFamily = server.findVarHandle(serverSocketChannelImpl, "family", ProtocolFamily.class);
      serverChannelClosing = (int) server.findStaticVarHandle(serverSocketChannelImpl, "ST_CLOSING", int.class).get();
      keyCount = MethodHandles.privateLookupIn(AbstractSelectableChannel.class, lookup)
          .findVarHandle(AbstractSelectableChannel.class, "keyCount", int.class);
      channelAdaptor = channel.findVarHandle(socketChannelImpl, "socket", Socket.class);
      serverChannelAdaptor = server.findVarHandle(serverSocketChannelImpl, "socket", ServerSocket.class);
    }
  }

  /**
   * Opens the packages these reads (and the hook class's definition in sun.nio.ch) need to the
   * agent: java.base opens nothing by default. Loads no socket class.
   */
  public static void openPackages(Instrumentation instrumentation) {
    Module javaBase = Object.class.getModule();
    Set<Module> agent = Set.of(JdkSockets.class.getModule());
    instrumentation.redefineModule(javaBase, Set.of(), Map.of(),
        Map.of(SUN_NIO_CH, agent, "java.net", agent, "java.io", agent, "java.nio.channels.spi", agent,
            "sun.security.ssl", agent),
        Set.of(), Map.of());
  }

  /**
   * The handles on the JDK's socket classes (loading NioSocketImpl; the channel classes at the
   * first channel read); after {@link #openPackages}. The agent creates it at the first hook call,
   * or on its warm-up thread, whose self-test opens a Socket anyway.
   */
  public static JdkSockets create() throws ReflectiveOperationException {
    return new JdkSockets();
  }

  /**
   * A small class of sun.nio.ch that loads nothing else: the anchor for defining the agent's
   * classes there without loading the socket classes at start-up.
   */
  public static Class<?> packageAnchor() throws ClassNotFoundException {
    return Class.forName(SUN_NIO_CH + ".Interruptible", false, null);
  }


  /**
   * The object the hooks receive for a socket the application holds: a {@code Socket}'s or
   * {@code ServerSocket}'s {@code NioSocketImpl}, an adaptor's channel, a channel itself. For a
   * caller that holds the public object (the conformance command) and reads it as the hooks do.
   */
  public Object hookedObjectOf(Object socket) {
    if (socket instanceof Socket plain) {
      return plain.getChannel() != null ? plain.getChannel() : platformImpl(socketsImpl.get(plain));
    }
    if (socket instanceof ServerSocket server) {
      return server.getChannel() != null ? server.getChannel() : platformImpl(serverSocketsImpl.get(server));
    }
    return socket;
  }

  /** A client Socket's impl is a SocksSocketImpl (a DelegatingSocketImpl) around the NioSocketImpl. */
  private Object platformImpl(Object impl) {
    return delegatingImpl.isInstance(impl) ? delegateOf.get(impl) : impl;
  }

  public boolean isSocketChannel(Object channel) {
    return Channels.HANDLES.socketChannelImpl.isInstance(channel);
  }

  // ---- NioSocketImpl -------------------------------------------------------------------

  /** A socket with a descriptor that is not closing yet: what NioSocketImpl.close() acts on. */
  public boolean implIsLive(Object impl) {
    int state = (int) Impl.STATE.get(impl);
    return Impl.FD.get(impl) != null && state < Impl.CLOSING;
  }

  public boolean implConnected(Object impl) {
    return (int) Impl.STATE.get(impl) == Impl.CONNECTED;
  }

  public boolean implIsServer(Object impl) {
    return (boolean) Impl.SERVER.get(impl);
  }

  public boolean implInputClosed(Object impl) {
    return (boolean) Impl.INPUT_CLOSED.get(impl);
  }

  public boolean implOutputClosed(Object impl) {
    return (boolean) Impl.OUTPUT_CLOSED.get(impl);
  }

  /**
   * Whether a read of the application's has returned EOF because the peer's FIN arrived, so no
   * byte can be left unread. NioSocketImpl.read sets readEOF on any -1, including the -1 that
   * implRead returns after shutdownInput while data may still be queued: a socket whose input
   * was shut down never counts. Read without readLock: a read finishing at this moment is only
   * missed, and the probe then reads the queue.
   */
  public boolean implInputAtEof(Object impl) {
    return (boolean) Impl.READ_EOF.get(impl) && !(boolean) Impl.INPUT_CLOSED.get(impl);
  }

  /** The descriptor number, or -1. */
  public int implFd(Object impl) {
    FileDescriptor fd = (FileDescriptor) Impl.FD.get(impl);
    return fd == null ? -1 : (int) Impl.FD_INT.get(fd);
  }

  public InetSocketAddress implRemote(Object impl) {
    InetAddress address = (InetAddress) Impl.ADDRESS.get(impl);
    return address == null ? null : new InetSocketAddress(address, (int) Impl.PORT.get(impl));
  }

  /** The local address: getsockname(2), so only when an event is reported. */
  public InetSocketAddress implLocal(Object impl) throws Throwable {
    FileDescriptor fd = (FileDescriptor) Impl.FD.get(impl);
    return fd == null ? null : (InetSocketAddress) localAddressOfFd.invoke(fd);
  }

  /** The local port of a NioSocketImpl or a channel, from the JDK's fields (no syscall); 0 if unbound. */
  public int localPortOf(Object socket) {
    if (Impl.TYPE.isInstance(socket)) {
      return (int) Impl.LOCAL_PORT.get(socket);
    }
    return channelLocal(socket) instanceof InetSocketAddress local ? local.getPort() : 0;
  }

  // ---- SocketChannelImpl / ServerSocketChannelImpl (Channels: made at the first of these calls) ----

  /**
   * Whether a Selector still holds a key for the channel. Read without {@code keyLock}, which
   * {@code isRegistered()} takes: the agent takes no lock the JDK's channel code takes.
   */
  public boolean channelRegistered(Object channel) {
    return (int) Channels.HANDLES.keyCount.getAcquire(channel) != 0;
  }

  /**
   * Whether the channel still owns its descriptor: the JDK sets ST_CLOSING (under stateLock)
   * before its close(2) or its dup2 of the pre-close marker, and never reopens. A descriptor
   * number read while this holds, and this still holding after the probe, was the channel's
   * during the probe; otherwise the number may already name another socket.
   */
  public boolean channelOwnsFd(Object channel) {
    Channels jdk = Channels.HANDLES;
    return isSocketChannel(channel)
        ? (int) jdk.channelState.getAcquire(channel) < jdk.channelClosing
        : (int) jdk.serverChannelState.getAcquire(channel) < jdk.serverChannelClosing;
  }

  /**
   * A Unix-domain channel (JDK 16+, {@code family == UNIX}): not TCP, so outside the model. The
   * field is final, set in the constructor.
   */
  public boolean channelIsUnixDomain(Object channel) {
    Channels jdk = Channels.HANDLES;
    Object family = isSocketChannel(channel) ? jdk.channelFamily.get(channel) : jdk.serverChannelFamily.get(channel);
    return family == StandardProtocolFamily.UNIX;
  }

  /** Whether {@code socket()} has made the channel's adaptor (the field is set once, never cleared). */
  public boolean channelAdaptorTaken(Object channel) {
    Channels jdk = Channels.HANDLES;
    return (isSocketChannel(channel) ? jdk.channelAdaptor.get(channel) : jdk.serverChannelAdaptor.get(channel)) != null;
  }

  public boolean channelConnected(Object channel) {
    return (int) Channels.HANDLES.channelState.get(channel) == Channels.HANDLES.channelConnected;
  }

  public boolean channelInputClosed(Object channel) {
    return (boolean) Channels.HANDLES.channelInputClosed.get(channel);
  }

  public boolean channelOutputClosed(Object channel) {
    return (boolean) Channels.HANDLES.channelOutputClosed.get(channel);
  }

  public int channelFd(Object channel) throws Throwable {
    Channels jdk = Channels.HANDLES;
    return isSocketChannel(channel) ? (int) jdk.channelFd.invoke(channel) : (int) jdk.serverChannelFd.invoke(channel);
  }

  public SocketAddress channelLocal(Object channel) {
    Channels jdk = Channels.HANDLES;
    return isSocketChannel(channel)
        ? (SocketAddress) jdk.channelLocal.get(channel)
        : (SocketAddress) jdk.serverChannelLocal.get(channel);
  }

  public SocketAddress channelRemote(Object channel) {
    return isSocketChannel(channel) ? (SocketAddress) Channels.HANDLES.channelRemote.get(channel) : null;
  }
}
