package io.teardownguard.agent.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;

/**
 * What the JDK knows about the Selector a channel is registered with, read without its locks: the
 * channel's keys ({@code AbstractSelectableChannel.keys}, written under keyLock) and whether a
 * thread is inside a select on it ({@code SelectorImpl.inSelect}, set by lockAndDoSelect for as
 * long as doSelect runs, including the wait in epoll). Racy reads by design: they classify a
 * close at exit, never steer the application.
 */
final class SelectorState {
  private final VarHandle keys;
  private final VarHandle inSelect;

  SelectorState() throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    keys = MethodHandles.privateLookupIn(AbstractSelectableChannel.class, lookup)
        .findVarHandle(AbstractSelectableChannel.class, "keys", SelectionKey[].class);
    Class<?> selectorImpl = Class.forName("sun.nio.ch.SelectorImpl");
    inSelect = MethodHandles.privateLookupIn(selectorImpl, lookup).findVarHandle(selectorImpl, "inSelect", boolean.class);
  }

  /** The Selector of the channel's first key, or null when it has none. */
  Selector selectorOf(Object channel) {
    SelectionKey[] all = (SelectionKey[]) keys.getAcquire(channel);
    if (all != null) {
      for (SelectionKey key : all) {
        if (key != null) {
          return key.selector();
        }
      }
    }
    return null;
  }

  /** A thread is in select(), selectNow() or select(timeout) on {@code selector} now. */
  boolean selecting(Selector selector) {
    return selector != null && (boolean) inSelect.getVolatile(selector);
  }
}
