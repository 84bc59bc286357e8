package io.teardownguard.samples.closewithunreaddata;

/** The health check reads the report to EOF before closing: FIN only. */
public final class StatusCheckSafe {

  private StatusCheckSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(StatusCheck.run(HealthCheck::checkStatusReadingToEnd));
  }
}
