package io.teardownguard.conformance.endpoint;

import io.teardownguard.conformance.scenario.ApiVariant;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * What every endpoint keeps alike: its variant and addresses, and which directions the
 * application shut (recorded only once the JDK call returned, as Java's own flags are).
 */
abstract class AbstractEndpoint implements Endpoint {
  private final ApiVariant variant;
  private final InetSocketAddress local;
  private final InetSocketAddress remote;
  private boolean inputShut;
  private boolean outputShut;

  AbstractEndpoint(ApiVariant variant, InetSocketAddress local, InetSocketAddress remote) {
    this.variant = variant;
    this.local = local;
    this.remote = remote;
  }

  /** The API's own shutdownInput(). */
  abstract void shutdownInputThroughApi() throws IOException;

  /** The API's own shutdownOutput(). */
  abstract void shutdownOutputThroughApi() throws IOException;

  @Override
  public final ApiVariant variant() {
    return variant;
  }

  @Override
  public final InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public final InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public final void shutdownInput() throws IOException {
    shutdownInputThroughApi();
    inputShut = true;
  }

  @Override
  public final void shutdownOutput() throws IOException {
    shutdownOutputThroughApi();
    outputShut = true;
  }

  @Override
  public final boolean inputShut() {
    return inputShut;
  }

  @Override
  public final boolean outputShut() {
    return outputShut;
  }
}
