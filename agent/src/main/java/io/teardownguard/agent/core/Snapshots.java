package io.teardownguard.agent.core;

import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.KernelQueues;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import java.util.EnumSet;
import java.util.Set;

/**
 * Builds the model's input from the JDK's view and the kernel's. Without a kernel view (not on
 * Linux, or probe=java) the TCP state is what Java knows: connected or not, queues empty.
 */
final class Snapshots {
  /** States in which the peer's FIN has arrived. */
  private static final Set<TcpState> PEER_FIN = EnumSet.of(TcpState.CLOSE_WAIT, TcpState.LAST_ACK,
      TcpState.CLOSING, TcpState.TIME_WAIT);

  private Snapshots() {}

  static SocketSnapshot of(JavaApi api, ChannelMode mode, int jdkFeature, KernelView kernel, boolean connected,
      boolean inputShut, boolean outputShut, int lingerSeconds) {
    if (kernel == null) {
      TcpState state = connected ? TcpState.ESTABLISHED : TcpState.CLOSE;
      return new SocketSnapshot(api, mode, jdkFeature, state, connected, 0, 0, inputShut, outputShut, false,
          lingerSeconds, 0);
    }
    return new SocketSnapshot(api, mode, jdkFeature, kernel.state(), connected, kernel.unreadBytes(),
        KernelQueues.unsentPayload(kernel.state(), kernel.heldByWindow()), inputShut, outputShut, PEER_FIN.contains(kernel.state()), lingerSeconds, 0);
  }

  static SocketSnapshot listener(JavaApi api, ChannelMode mode, int jdkFeature, KernelView kernel) {
    return SocketSnapshot.listener(api, mode, jdkFeature, kernel == null ? 0 : kernel.acceptQueue());
  }
}
