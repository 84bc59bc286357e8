package io.teardownguard.model;

/**
 * SO_LINGER as the JDK reports it: {@code -1} when off, otherwise the linger time in seconds.
 * The JDK passes values over 65535 as 65535 ({@code Socket.setSoLinger}).
 */
public final class Linger {
  public static final int OFF = -1;

  private Linger() {}

  public static boolean isAbortive(int lingerSeconds) {
    return lingerSeconds == 0;
  }

  public static boolean isBlocking(int lingerSeconds) {
    return lingerSeconds > 0;
  }

  public static String describe(int lingerSeconds) {
    return lingerSeconds < 0 ? "off" : lingerSeconds + "s";
  }
}
