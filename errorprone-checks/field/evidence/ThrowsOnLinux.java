import java.io.*;
import java.net.*;

/**
 * Which calls on a teardown path throw on Linux, on a connected socket, after the peer's FIN,
 * after its RST, and after the socket's own close: the evidence behind CloseSkippedByException's
 * choice of calls (docs/checks/CloseSkippedByException.md). Loopback only.
 * Run: java ThrowsOnLinux.java (JDK 17 and 25).
 */
public class ThrowsOnLinux {
  interface Op { void run(Socket s) throws Exception; }

  static String attempt(String peerDoes, String what, Op op) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      Socket peer = server.accept();
      client.getOutputStream().write(new byte[10]); // something in flight
      if (peerDoes.equals("RST")) { peer.setSoLinger(true, 0); peer.close(); }
      else if (peerDoes.equals("FIN")) { peer.getInputStream().readNBytes(10); peer.close(); }
      else if (peerDoes.equals("self-closed")) { client.close(); }
      Thread.sleep(100);
      String result;
      try { op.run(client); result = "ok"; }
      catch (Exception e) { result = "THROWS " + e.getClass().getSimpleName() + ": " + e.getMessage(); }
      client.close(); peer.close();
      return String.format("%-12s %-34s %s", peerDoes, what, result);
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.println("java " + System.getProperty("java.version"));
    for (String peer : new String[] {"connected", "FIN", "RST", "self-closed"}) {
      System.out.println(attempt(peer, "setSoLinger(true, 0)", s -> s.setSoLinger(true, 0)));
      System.out.println(attempt(peer, "setSoLinger(true, 1)", s -> s.setSoLinger(true, 1)));
      System.out.println(attempt(peer, "setSoTimeout(1)", s -> s.setSoTimeout(1)));
      System.out.println(attempt(peer, "shutdownOutput()", s -> s.shutdownOutput()));
      System.out.println(attempt(peer, "shutdownInput()", s -> s.shutdownInput()));
      System.out.println(attempt(peer, "write+flush (1 byte)", s -> { OutputStream o = new BufferedOutputStream(s.getOutputStream()); o.write(1); o.flush(); }));
      System.out.println(attempt(peer, "write+flush x2 (2nd after 100ms)", s -> { OutputStream o = s.getOutputStream(); o.write(1); Thread.sleep(100); o.write(1); }));
    }
  }
}
