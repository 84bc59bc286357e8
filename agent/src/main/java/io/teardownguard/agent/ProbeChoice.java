package io.teardownguard.agent;

import io.teardownguard.agent.cache.AgentCache;
import io.teardownguard.agent.probe.NativeSocketProbe;
import io.teardownguard.agent.probe.ProcNetSocketProbe;
import io.teardownguard.agent.probe.SocketProbe;
import java.util.Locale;
import java.io.PrintStream;

/**
 * Picks how the kernel's view is read ({@code probe=auto|native|proc|java}) and says once what it
 * fell back to. The native probe reads everything in one JNI call; /proc is correct but scans
 * the socket tables; off Linux there is no kernel view and the model works on Java-level state.
 */
final class ProbeChoice {
  private ProbeChoice() {}

  /** The probe, or null for Java-level state only. */
  static SocketProbe select(String choice, AgentCache cache, PrintStream say) {
    if (choice.equals("java")) {
      return null;
    }
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
      say.println("teardown-guard: not on Linux (" + os + "): kernel probes off; predictions use Java-level state only");
      return null;
    }
    if (choice.equals("proc")) {
      return new ProcNetSocketProbe();
    }
    var nativeProbe = NativeSocketProbe.load(cache);
    if (nativeProbe.isPresent()) {
      return nativeProbe.get();
    }
    say.println("teardown-guard: native probe unavailable (" + NativeSocketProbe.unavailableReason().orElse("unknown")
        + "); reading /proc/net/tcp instead, which is slower");
    return new ProcNetSocketProbe();
  }
}
