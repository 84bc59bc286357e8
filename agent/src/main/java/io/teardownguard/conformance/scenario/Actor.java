package io.teardownguard.conformance.scenario;

/** Who performs a step: the endpoint under test, or the plain java.net.Socket at the other end. */
public enum Actor {
  LOCAL,
  PEER
}
