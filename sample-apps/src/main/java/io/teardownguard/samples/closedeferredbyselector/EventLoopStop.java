package io.teardownguard.samples.closedeferredbyselector;

import io.teardownguard.samples.support.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/** A subscriber reads the notification while the loop ends, one way or the other. */
final class EventLoopStop {
  private EventLoopStop() {}

  interface Ending {
    void end(NotificationLoop loop, SocketChannel subscriber) throws IOException;
  }

  static void run(Ending ending) throws IOException {
    try (NotificationLoop loop = new NotificationLoop(); Socket subscriber = new Socket()) {
      subscriber.connect(new InetSocketAddress("127.0.0.1", loop.port()), Loopback.TIMEOUT_MILLIS);
      subscriber.setSoTimeout(Loopback.TIMEOUT_MILLIS);
      SocketChannel served = loop.notifyOneSubscriber();
      ending.end(loop, served);
      InputStream in = subscriber.getInputStream();
      int bytes = in.readAllBytes().length; // the notification, then EOF from the shut output
      System.out.println("subscriber read " + bytes + " bytes and end of stream");
    }
  }
}
