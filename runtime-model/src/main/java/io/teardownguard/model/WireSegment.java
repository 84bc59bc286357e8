package io.teardownguard.model;

/** The teardown segments an endpoint can put on the wire. */
public enum WireSegment {
  FIN,
  RST
}
