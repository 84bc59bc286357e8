package io.teardownguard.agent.jdk;

import io.teardownguard.model.tls.TlsSnapshot;
import io.teardownguard.model.tls.TlsVersion;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * Reads what the JDK's TLS layer holds for an {@code SSLSocket} ({@code sun.security.ssl}, the same
 * fields in JDK 17 and 25), without its locks ({@code AppInputStream.readLock}, {@code
 * SSLSocketImpl.socketLock}, the record locks) and without syscalls: plain field reads, racy by
 * design, taken on the closing thread right before {@code SSLSocketImpl.close()} acts. Handles are
 * made once, at the first TLS close; a JDK whose fields differ fails that creation, and the agent
 * then reports TLS closes from the socket calls beneath alone.
 */
public final class TlsSockets {
  private static final String SSL = "sun.security.ssl.";

  private final Class<?> sslSocketImpl;
  private final VarHandle conContext;
  private final VarHandle appInput;
  private final VarHandle autoClose;
  private final VarHandle self;
  private final VarHandle isNegotiated;
  private final VarHandle protocolVersion;
  private final VarHandle inputRecord;
  private final VarHandle sslConfig;
  private final VarHandle clientMode;
  private final VarHandle inputClosed;
  private final VarHandle appBuffer;
  private final VarHandle appDataIsAvailable;
  private final Class<?> socketInputRecord;
  private final VarHandle headerOff;
  private final VarHandle recordBody;

  private TlsSockets() throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    sslSocketImpl = Class.forName(SSL + "SSLSocketImpl");
    Class<?> base = Class.forName(SSL + "BaseSSLSocketImpl");
    Class<?> transport = Class.forName(SSL + "TransportContext");
    Class<?> protocol = Class.forName(SSL + "ProtocolVersion");
    Class<?> record = Class.forName(SSL + "InputRecord");
    Class<?> config = Class.forName(SSL + "SSLConfiguration");
    Class<?> appInputStream = Class.forName(SSL + "SSLSocketImpl$AppInputStream");
    socketInputRecord = Class.forName(SSL + "SSLSocketInputRecord");
    MethodHandles.Lookup impl = MethodHandles.privateLookupIn(sslSocketImpl, lookup);
    conContext = impl.findVarHandle(sslSocketImpl, "conContext", transport);
    appInput = impl.findVarHandle(sslSocketImpl, "appInput", appInputStream);
    autoClose = impl.findVarHandle(sslSocketImpl, "autoClose", boolean.class);
    self = MethodHandles.privateLookupIn(base, lookup).findVarHandle(base, "self", Socket.class);
    MethodHandles.Lookup context = MethodHandles.privateLookupIn(transport, lookup);
    isNegotiated = context.findVarHandle(transport, "isNegotiated", boolean.class);
    protocolVersion = context.findVarHandle(transport, "protocolVersion", protocol);
    inputRecord = context.findVarHandle(transport, "inputRecord", record);
    sslConfig = context.findVarHandle(transport, "sslConfig", config);
    clientMode = MethodHandles.privateLookupIn(config, lookup).findVarHandle(config, "isClientMode", boolean.class);
    inputClosed = MethodHandles.privateLookupIn(record, lookup).findVarHandle(record, "isClosed", boolean.class);
    MethodHandles.Lookup stream = MethodHandles.privateLookupIn(appInputStream, lookup);
    appBuffer = stream.findVarHandle(appInputStream, "buffer", ByteBuffer.class);
    appDataIsAvailable = stream.findVarHandle(appInputStream, "appDataIsAvailable", boolean.class);
    MethodHandles.Lookup socketRecord = MethodHandles.privateLookupIn(socketInputRecord, lookup);
    headerOff = socketRecord.findVarHandle(socketInputRecord, "headerOff", int.class);
    recordBody = socketRecord.findVarHandle(socketInputRecord, "recordBody", ByteBuffer.class);
  }

  /** The handles; at the first TLS close, when the TLS classes are loaded anyway. */
  public static TlsSockets create() throws ReflectiveOperationException {
    return new TlsSockets();
  }

  /** Whether {@code socket} is the JDK's {@code SSLSocketImpl} (not another provider's SSLSocket). */
  public boolean isJdkTls(Object socket) {
    return sslSocketImpl.isInstance(socket);
  }

  /** What the TLS layer of {@code socket}, an {@code SSLSocketImpl}, holds now. */
  public TlsSnapshot read(Object socket) {
    Object context = conContext.get(socket);
    Object record = inputRecord.get(context);
    Object input = appInput.get(socket);
    ByteBuffer decrypted = (ByteBuffer) appBuffer.get(input);
    // AppInputStream.available(): the buffer holds application data only while appDataIsAvailable.
    long unread = (boolean) appDataIsAvailable.get(input) && decrypted != null ? decrypted.remaining() : 0;
    long partial = 0;
    if (socketInputRecord.isInstance(record)) {
      ByteBuffer body = (ByteBuffer) recordBody.get(record);
      partial = (int) headerOff.get(record) + (body == null ? 0 : body.position());
    }
    return new TlsSnapshot(version(context), (boolean) clientMode.get(sslConfig.get(context)), isLayered(socket),
        (boolean) autoClose.get(socket), (boolean) inputClosed.get(record), unread, partial);
  }

  /**
   * The TCP socket beneath: the SSLSocket itself for a plain one (its own {@code Socket.impl} is
   * connected), the wrapped socket for a layered one ({@code BaseSSLSocketImpl.self}: a {@code
   * Socket}, or a channel's adaptor).
   */
  public Socket socketBeneath(Object socket) {
    Socket beneath = (Socket) self.get(socket);
    return beneath == null ? (Socket) socket : beneath;
  }

  /** {@code BaseSSLSocketImpl.isLayered()}: {@code self != this}. */
  private boolean isLayered(Object socket) {
    Object beneath = self.get(socket);
    return beneath != null && beneath != socket;
  }

  private TlsVersion version(Object context) {
    Object version = protocolVersion.get(context);
    if (!(boolean) isNegotiated.get(context) || version == null) {
      return TlsVersion.NOT_NEGOTIATED;
    }
    // ProtocolVersion is an enum; TLS13 is the only one using TLS 1.3's close (useTLS13PlusSpec()).
    return ((Enum<?>) version).name().equals("TLS13") ? TlsVersion.TLS_1_3 : TlsVersion.TLS_1_2;
  }
}
