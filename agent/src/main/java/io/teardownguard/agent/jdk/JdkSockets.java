package io.teardownguard.agent.jdk;

import java.io.FileDescriptor;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * by offset ({@link JdkUnsafe}), each family's offsets taken when it is first read.
 * Field names and state constants are looked up, not hard-coded, so a JDK that renamed them
 * fails the agent's self-test instead of being misread.
 */
public final class JdkSockets {
  private static final String SUN_NIO_CH = "sun.nio.ch";
  /** Set once {@link #openPackages} has redefined java.base; under the class's monitor. */
  private static boolean packagesOpened;

  private final long socketsImpl;
  private final long serverSocketsImpl;
  private final long delegateOf;
  private final Class<?> delegatingImpl;

  /** The socket family's offsets (NioSocketImpl, Socket, ServerSocket), which the self-test's Socket loads anyway. */
  private JdkSockets() throws ReflectiveOperationException {
    Impl.check();
    socketsImpl = JdkUnsafe.offset(Socket.class, "impl", SocketImpl.class);
    serverSocketsImpl = JdkUnsafe.offset(ServerSocket.class, "impl", SocketImpl.class);
    delegatingImpl = Class.forName("java.net.DelegatingSocketImpl");
    delegateOf = JdkUnsafe.offset(delegatingImpl, "delegate", SocketImpl.class);
  }

  /**
   * NioSocketImpl's field offsets, static final: the JIT compiles a read at a constant offset to a
   * plain field load. Made at the first {@link #create}, after {@link #openPackages}.
   */
  private static final class Impl {
    /** The first lookup that failed, set while the class initialises; null when all succeeded. */
    private static ReflectiveOperationException failure;
    static final Class<?> TYPE = type(SUN_NIO_CH + ".NioSocketImpl");
    static final long STATE = field(TYPE, "state", int.class);
    static final long SERVER = field(TYPE, "server", boolean.class);
    static final long INPUT_CLOSED = field(TYPE, "isInputClosed", boolean.class);
    static final long OUTPUT_CLOSED = field(TYPE, "isOutputClosed", boolean.class);
    static final long READ_EOF = field(TYPE, "readEOF", boolean.class);
    static final int CONNECTED = constant(TYPE, "ST_CONNECTED");
    static final int CLOSING = constant(TYPE, "ST_CLOSING");
    static final long FD = field(SocketImpl.class, "fd", FileDescriptor.class);
    static final long ADDRESS = field(SocketImpl.class, "address", InetAddress.class);
    static final long PORT = field(SocketImpl.class, "port", int.class);
    static final long LOCAL_PORT = field(SocketImpl.class, "localport", int.class);
    static final long FD_INT = field(FileDescriptor.class, "fd", int.class);

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

    private static long field(Class<?> type, String name, Class<?> fieldType) {
      try {
        return JdkUnsafe.offset(type, name, fieldType);
      } catch (NoSuchFieldException e) {
        failed(e);
        return -1;
      }
    }

    private static int constant(Class<?> type, String name) {
      try {
        return JdkUnsafe.staticInt(type, name);
      } catch (NoSuchFieldException e) {
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

  /** {@code Net.localAddress(FileDescriptor)}, looked up at the first reported event that needs it. */
  private static final class LocalAddress {
    static final MethodHandle OF_FD;

    static {
      try {
        Class<?> net = Class.forName(SUN_NIO_CH + ".Net");
        OF_FD = MethodHandles.privateLookupIn(net, MethodHandles.lookup())
            .findStatic(net, "localAddress", MethodType.methodType(InetSocketAddress.class, FileDescriptor.class));
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /**
   * The channel family's offsets (SocketChannelImpl, ServerSocketChannelImpl), made at the first
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
    final long channelState;
    final long channelInputClosed;
    final long channelOutputClosed;
    final long channelLocal;
    final long channelRemote;
    final int channelConnected;
    final int channelClosing;
    final long channelFamily;
    final long serverChannelState;
    final long serverChannelFamily;
    final int serverChannelClosing;
    final long channelFd;
    final long serverChannelFd;
    final long serverChannelLocal;
    final long keyCount;
    final long channelAdaptor;
    final long serverChannelAdaptor;

    private Channels() throws ReflectiveOperationException {
      socketChannelImpl = Class.forName(SUN_NIO_CH + ".SocketChannelImpl");
      Class<?> server = Class.forName(SUN_NIO_CH + ".ServerSocketChannelImpl");
      channelState = JdkUnsafe.offset(socketChannelImpl, "state", int.class);
      channelInputClosed = JdkUnsafe.offset(socketChannelImpl, "isInputClosed", boolean.class);
      channelOutputClosed = JdkUnsafe.offset(socketChannelImpl, "isOutputClosed", boolean.class);
      channelLocal = JdkUnsafe.offset(socketChannelImpl, "localAddress", SocketAddress.class);
      channelRemote = JdkUnsafe.offset(socketChannelImpl, "remoteAddress", SocketAddress.class);
      channelConnected = JdkUnsafe.staticInt(socketChannelImpl, "ST_CONNECTED");
      channelClosing = JdkUnsafe.staticInt(socketChannelImpl, "ST_CLOSING");
      channelFamily = JdkUnsafe.offset(socketChannelImpl, "family", ProtocolFamily.class);
      // getFDVal() returns this final field.
      channelFd = JdkUnsafe.offset(socketChannelImpl, "fdVal", int.class);
      serverChannelFd = JdkUnsafe.offset(server, "fdVal", int.class);
      serverChannelLocal = JdkUnsafe.offset(server, "localAddress", SocketAddress.class);
      serverChannelState = JdkUnsafe.offset(server, "state", int.class);
      serverChannelFamily = JdkUnsafe.offset(server, "family", ProtocolFamily.class);
      serverChannelClosing = JdkUnsafe.staticInt(server, "ST_CLOSING");
      keyCount = JdkUnsafe.offset(AbstractSelectableChannel.class, "keyCount", int.class);
      channelAdaptor = JdkUnsafe.offset(socketChannelImpl, "socket", Socket.class);
      serverChannelAdaptor = JdkUnsafe.offset(server, "socket", ServerSocket.class);
    }
  }

  /**
   * Opens to the agent the packages it reads or calls into (sun.nio.ch also for its calls to the
   * classes it defines there), and exports {@code jdk.internal.misc} ({@link JdkUnsafe}) and
   * {@code jdk.internal.access} ({@code LastShutdownSlot}): java.base opens nothing by default. One
   * redefinition for all: each links the JDK's own lambdas for it. Loads no socket class.
   */
  public static synchronized void openPackages(Instrumentation instrumentation) {
    if (packagesOpened) {
      return; // premain opened them before its bundle of classes (StartupClasses)
    }
    Module javaBase = Object.class.getModule();
    Set<Module> agent = Set.of(JdkSockets.class.getModule());
    instrumentation.redefineModule(javaBase, Set.of(),
        Map.of("jdk.internal.misc", agent, "jdk.internal.access", agent),
        Map.of(SUN_NIO_CH, agent, "java.net", agent, "java.io", agent, "java.nio.channels.spi", agent,
            "sun.security.ssl", agent),
        Set.of(), Map.of());
    packagesOpened = true;
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
   * The object the hooks receive for a socket the application holds: a {@code Socket}'s or
   * {@code ServerSocket}'s {@code NioSocketImpl}, an adaptor's channel, a channel itself. For a
   * caller that holds the public object (the conformance command) and reads it as the hooks do.
   */
  public Object hookedObjectOf(Object socket) {
    if (socket instanceof Socket plain) {
      return plain.getChannel() != null ? plain.getChannel() : platformImpl(JdkUnsafe.getReference(plain, socketsImpl));
    }
    if (socket instanceof ServerSocket server) {
      return server.getChannel() != null ? server.getChannel() : platformImpl(JdkUnsafe.getReference(server, serverSocketsImpl));
    }
    return socket;
  }

  /** A client Socket's impl is a SocksSocketImpl (a DelegatingSocketImpl) around the NioSocketImpl. */
  private Object platformImpl(Object impl) {
    return delegatingImpl.isInstance(impl) ? JdkUnsafe.getReference(impl, delegateOf) : impl;
  }

  public boolean isSocketChannel(Object channel) {
    return Channels.HANDLES.socketChannelImpl.isInstance(channel);
  }

  // ---- NioSocketImpl -------------------------------------------------------------------

  /** A socket with a descriptor that is not closing yet: what NioSocketImpl.close() acts on. */
  public boolean implIsLive(Object impl) {
    int state = JdkUnsafe.getInt(impl, Impl.STATE);
    return JdkUnsafe.getReference(impl, Impl.FD) != null && state < Impl.CLOSING;
  }

  public boolean implConnected(Object impl) {
    return JdkUnsafe.getInt(impl, Impl.STATE) == Impl.CONNECTED;
  }

  public boolean implIsServer(Object impl) {
    return JdkUnsafe.getBoolean(impl, Impl.SERVER);
  }

  public boolean implInputClosed(Object impl) {
    return JdkUnsafe.getBoolean(impl, Impl.INPUT_CLOSED);
  }

  public boolean implOutputClosed(Object impl) {
    return JdkUnsafe.getBoolean(impl, Impl.OUTPUT_CLOSED);
  }

  /**
   * Whether a read of the application's has returned EOF because the peer's FIN arrived, so no
   * byte can be left unread. NioSocketImpl.read sets readEOF on any -1, including the -1 that
   * implRead returns after shutdownInput while data may still be queued: a socket whose input
   * was shut down never counts. Read without readLock: a read finishing at this moment is only
   * missed, and the probe then reads the queue.
   */
  public boolean implInputAtEof(Object impl) {
    return JdkUnsafe.getBoolean(impl, Impl.READ_EOF) && !JdkUnsafe.getBoolean(impl, Impl.INPUT_CLOSED);
  }

  /** The descriptor number, or -1. */
  public int implFd(Object impl) {
    Object fd = JdkUnsafe.getReference(impl, Impl.FD);
    return fd == null ? -1 : JdkUnsafe.getInt(fd, Impl.FD_INT);
  }

  public InetSocketAddress implRemote(Object impl) {
    InetAddress address = (InetAddress) JdkUnsafe.getReference(impl, Impl.ADDRESS);
    return address == null ? null : new InetSocketAddress(address, JdkUnsafe.getInt(impl, Impl.PORT));
  }

  /** The local address: getsockname(2), so only when an event is reported. */
  public InetSocketAddress implLocal(Object impl) throws Throwable {
    FileDescriptor fd = (FileDescriptor) JdkUnsafe.getReference(impl, Impl.FD);
    return fd == null ? null : (InetSocketAddress) LocalAddress.OF_FD.invokeExact(fd);
  }

  /** The local port of a NioSocketImpl or a channel, from the JDK's fields (no syscall); 0 if unbound. */
  public int localPortOf(Object socket) {
    if (Impl.TYPE.isInstance(socket)) {
      return JdkUnsafe.getInt(socket, Impl.LOCAL_PORT);
    }
    return channelLocal(socket) instanceof InetSocketAddress local ? local.getPort() : 0;
  }

  // ---- SocketChannelImpl / ServerSocketChannelImpl (Channels: made at the first of these calls) ----

  /**
   * Whether a Selector still holds a key for the channel. Read without {@code keyLock}, which
   * {@code isRegistered()} takes: the agent takes no lock the JDK's channel code takes.
   */
  public boolean channelRegistered(Object channel) {
    return JdkUnsafe.getIntAcquire(channel, Channels.HANDLES.keyCount) != 0;
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
        ? JdkUnsafe.getIntAcquire(channel, jdk.channelState) < jdk.channelClosing
        : JdkUnsafe.getIntAcquire(channel, jdk.serverChannelState) < jdk.serverChannelClosing;
  }

  /**
   * A Unix-domain channel (JDK 16+, {@code family == UNIX}): not TCP, so outside the model. The
   * field is final, set in the constructor.
   */
  public boolean channelIsUnixDomain(Object channel) {
    Channels jdk = Channels.HANDLES;
    Object family = JdkUnsafe.getReference(channel, isSocketChannel(channel) ? jdk.channelFamily : jdk.serverChannelFamily);
    return family == StandardProtocolFamily.UNIX;
  }

  /** Whether {@code socket()} has made the channel's adaptor (the field is set once, never cleared). */
  public boolean channelAdaptorTaken(Object channel) {
    Channels jdk = Channels.HANDLES;
    return JdkUnsafe.getReference(channel, isSocketChannel(channel) ? jdk.channelAdaptor : jdk.serverChannelAdaptor) != null;
  }

  public boolean channelConnected(Object channel) {
    return JdkUnsafe.getInt(channel, Channels.HANDLES.channelState) == Channels.HANDLES.channelConnected;
  }

  public boolean channelInputClosed(Object channel) {
    return JdkUnsafe.getBoolean(channel, Channels.HANDLES.channelInputClosed);
  }

  public boolean channelOutputClosed(Object channel) {
    return JdkUnsafe.getBoolean(channel, Channels.HANDLES.channelOutputClosed);
  }

  public int channelFd(Object channel) {
    Channels jdk = Channels.HANDLES;
    return JdkUnsafe.getInt(channel, isSocketChannel(channel) ? jdk.channelFd : jdk.serverChannelFd);
  }

  public SocketAddress channelLocal(Object channel) {
    Channels jdk = Channels.HANDLES;
    return (SocketAddress) JdkUnsafe.getReference(channel, isSocketChannel(channel) ? jdk.channelLocal : jdk.serverChannelLocal);
  }

  public SocketAddress channelRemote(Object channel) {
    return isSocketChannel(channel) ? (SocketAddress) JdkUnsafe.getReference(channel, Channels.HANDLES.channelRemote) : null;
  }
}
