package io.teardownguard.samples.closewithunreaddata;

/** The health check closes after the first line, the rest of the report unread: RST. */
public final class StatusCheckUnsafe {

  private StatusCheckUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(StatusCheck.run(HealthCheck::checkStatus));
  }
}
