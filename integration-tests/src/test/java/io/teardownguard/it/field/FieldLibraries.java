package io.teardownguard.it.field;

import java.util.List;
import java.util.Map;

/** The libraries of the field suite, each with its cases; one child JVM runs one library. */
final class FieldLibraries {
  static final Map<String, java.util.function.Supplier<List<FieldCase>>> CASES = Map.ofEntries(
      Map.entry("tomcat", TomcatCases::cases),
      Map.entry("jetty", JettyCases::cases),
      Map.entry("undertow", UndertowCases::cases),
      Map.entry("netty", NettyCases::cases),
      Map.entry("jdk-httpserver", JdkHttpServerCases::cases),
      Map.entry("jdk-httpclient", JdkHttpClientCases::cases),
      Map.entry("httpclient5", ApacheHttpClientCases::cases),
      Map.entry("okhttp", OkHttpCases::cases),
      Map.entry("jedis", JedisCases::cases),
      Map.entry("jsse-tls", TlsCases::cases),
      Map.entry("netty-epoll", NettyNativeCases::epoll),
      Map.entry("netty-io_uring", NettyNativeCases::ioUring),
      Map.entry("lettuce-nio", LettuceCases::nio),
      Map.entry("lettuce-epoll", LettuceCases::epoll));

  private FieldLibraries() {}

  static List<FieldCase> cases(String library) {
    var cases = CASES.get(library);
    if (cases == null) {
      throw new IllegalArgumentException("unknown library '" + library + "'; accepted: " + CASES.keySet());
    }
    return cases.get();
  }
}
