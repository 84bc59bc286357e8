package io.teardownguard.samples.support;

import java.io.IOException;
import java.net.Socket;

/**
 * How a sample ends a connection: the one step that differs between its unsafe and safe
 * variant. Implementations are method references to the sample's named call sites.
 */
@FunctionalInterface
public interface Teardown {

  /** Ends {@code connection}; on return the application has closed it. */
  void end(Socket connection) throws IOException;
}
