package io.teardownguard.it.field;

import java.util.List;
import java.util.Map;

/** The libraries of the field suite, each with its cases; one child JVM runs one library. */
final class FieldLibraries {
  static final Map<String, java.util.function.Supplier<List<FieldCase>>> CASES = Map.of(
      "tomcat", TomcatCases::cases,
      "jetty", JettyCases::cases,
      "undertow", UndertowCases::cases,
      "netty", NettyCases::cases,
      "jdk-httpserver", JdkHttpServerCases::cases,
      "jdk-httpclient", JdkHttpClientCases::cases,
      "httpclient5", ApacheHttpClientCases::cases,
      "okhttp", OkHttpCases::cases,
      "jedis", JedisCases::cases,
      "jsse-tls", TlsCases::cases);

  private FieldLibraries() {}

  static List<FieldCase> cases(String library) {
    var cases = CASES.get(library);
    if (cases == null) {
      throw new IllegalArgumentException("unknown library '" + library + "'; accepted: " + CASES.keySet());
    }
    return cases.get();
  }
}
