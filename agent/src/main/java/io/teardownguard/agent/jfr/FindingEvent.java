package io.teardownguard.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code teardown.Finding}: one unsafe teardown. No JFR stack trace (it would start in the agent's
 * hook); {@code site} is the application's frame, as in the report.
 */
@Name("teardown.Finding")
@Label("Teardown Finding")
@Description("A socket teardown call that loses data, resets the connection or blocks (Teardown Guard)")
@Category("Teardown Guard")
@StackTrace(false)
final class FindingEvent extends jdk.jfr.Event {
  @Label("Rule")
  String rule;

  @Label("Severity")
  String severity;

  @Label("Operation")
  @Description("close, shutdownInput, shutdownOutput, setSoLinger or listenerClose")
  String op;

  @Label("API")
  @Description("The class the application used")
  String api;

  @Label("Outcome")
  @Description("What the call puts on the wire: fin, rst, fin_rst or none")
  String outcome;

  @Label("Discarded Receive Bytes")
  @Description("Received bytes the application never read, thrown away")
  @DataAmount(DataAmount.BYTES)
  long discardedReceiveBytes;

  @Label("Discarded Send Bytes")
  @Description("Written bytes not yet acknowledged, thrown away")
  @DataAmount(DataAmount.BYTES)
  long discardedSendBytes;

  @Label("Call Site")
  String site;

  @Label("Message")
  String message;
}
