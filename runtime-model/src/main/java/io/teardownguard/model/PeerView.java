package io.teardownguard.model;

/**
 * What the peer's program observes after a teardown call.
 *
 * @param read what the peer's reads return once it has consumed what was delivered
 * @param write what the peer's writes do from now on
 * @param bytesNeverDelivered bytes this side wrote that the peer will never receive
 */
public record PeerView(PeerRead read, PeerWrite write, long bytesNeverDelivered) {

  public enum PeerRead {
    /** read() returns -1: an orderly end of stream. */
    EOF,
    /** read() throws "Connection reset". */
    RESET,
    /** Nothing changes for the peer: its reads block or return data as before. */
    UNCHANGED
  }

  public enum PeerWrite {
    /** Writes succeed and the data is received. */
    ACCEPTED,
    /** The next write succeeds locally, but is answered with RST; the one after fails. */
    RESET_THEN_FAILS,
    /** Writes fail at once ("Broken pipe" or "Connection reset by peer"). */
    FAILS,
    /** The peer already shut its output; it writes no more. */
    PEER_OUTPUT_SHUT
  }
}
