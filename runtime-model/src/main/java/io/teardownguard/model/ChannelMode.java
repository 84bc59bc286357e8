package io.teardownguard.model;

/** How a channel is used; {@code java.net.Socket} and {@code ServerSocket} are always {@link #BLOCKING}. */
public enum ChannelMode {
  BLOCKING,
  NON_BLOCKING,
  /** Non-blocking and registered with a {@code Selector}: the JDK defers the real close(2). */
  REGISTERED
}
