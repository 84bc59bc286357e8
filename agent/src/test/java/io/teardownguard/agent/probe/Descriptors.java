package io.teardownguard.agent.probe;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.SelectableChannel;

/**
 * The file descriptor behind a channel, read through the JDK's own accessor
 * (sun.nio.ch.SelChImpl#getFDVal, implemented by every socket, server-socket, datagram and pipe
 * channel since JDK 1.4). The tests run on the class path, so the JVM needs
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (or --add-opens) in surefire's argLine.
 */
final class Descriptors {
  private Descriptors() {}

  static int of(SelectableChannel channel) {
    try {
      Method getFdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
      return (int) getFdVal.invoke(channel);
    } catch (IllegalAccessException e) {
      throw new AssertionError(
          "run the tests with --add-exports java.base/sun.nio.ch=ALL-UNNAMED (surefire argLine)",
          e);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("this JDK has no sun.nio.ch.SelChImpl#getFDVal", e);
    }
  }
}
