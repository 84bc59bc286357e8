package io.teardownguard.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code teardown.Teardown}: every teardown call, with {@code events=all}. */
@Name("teardown.Teardown")
@Label("Teardown")
@Description("A socket teardown call and what it does on the wire (Teardown Guard, events=all)")
@Category("Teardown Guard")
@StackTrace(false)
final class TeardownEvent extends jdk.jfr.Event {
  @Label("Operation")
  String op;

  @Label("API")
  String api;

  @Label("Outcome")
  @Description("What the call puts on the wire: fin, rst, fin_rst or none")
  String outcome;

  @Label("TIME_WAIT")
  @Description("Who holds TIME_WAIT afterwards: local, peer, both or none")
  String timeWait;

  @Label("Discarded Receive Bytes")
  @DataAmount(DataAmount.BYTES)
  long discardedReceiveBytes;

  @Label("Discarded Send Bytes")
  @DataAmount(DataAmount.BYTES)
  long discardedSendBytes;

  @Label("Call Site")
  String site;
}
