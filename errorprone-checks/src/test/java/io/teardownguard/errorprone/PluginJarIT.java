package io.teardownguard.errorprone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged plugin, one jar, works where users put it: on plain javac's processor path next to
 * error_prone_core and its dependencies, and nothing of Teardown Guard besides.
 */
final class PluginJarIT {

  private static final Path JAR = Path.of("target/teardown-guard-errorprone.jar");

  private static final String SOURCE = """
      import java.io.BufferedReader;
      import java.io.IOException;
      import java.io.InputStreamReader;
      import java.net.Socket;

      class Client {
        String status(Socket socket) throws IOException {
          socket.setSoLinger(true, 0);
          String line = new BufferedReader(new InputStreamReader(socket.getInputStream()))
              .readLine();
          socket.close();
          return line;
        }
      }
      """;

  @Test
  void theJarHoldsTheChecksAndTheirServiceEntryButNoModelClasses() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertTrue(names.contains("META-INF/services/com.google.errorprone.bugpatterns.BugChecker"));
      assertTrue(names.stream().noneMatch(n -> n.startsWith("io/teardownguard/model/")), names
          .toString());
      assertTrue(names.stream().allMatch(n -> n.startsWith("META-INF/")
          || n.startsWith("io/teardownguard/errorprone/") || n.equals("io/")
          || n.equals("io/teardownguard/")), names.toString());
    }
  }

  @Test
  @Timeout(120)
  void plainJavacWithTheJarOnTheProcessorPathReportsOurChecks() throws Exception {
    Path dir = Files.createTempDirectory("plugin-jar-it");
    Path source = Files.writeString(dir.resolve("Client.java"), SOURCE);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "javac").toString());
    for (String flag : System.getProperty("teardownguard.javacExports").trim().split("\\s+")) {
      command.add("-J" + flag);
    }
    command.addAll(List.of("-XDcompilePolicy=simple", "--should-stop=ifError=FLOW",
        "-processorpath", errorProneCorePath() + File.pathSeparator + JAR.toAbsolutePath(),
        "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:AbortiveClose:WARN"
            + " -Xep:CloseWithUnreadData:WARN",
        "-d", dir.resolve("classes").toString(), source.toString()));
    Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(javac.waitFor(100, TimeUnit.SECONDS), "javac did not finish");
    assertEquals(0, javac.exitValue(), output);
    assertTrue(output.contains("Client.java:8: warning: [AbortiveClose]"), output);
    assertTrue(output.contains("Client.java:11: warning: [CloseWithUnreadData]"), output);
  }

  /** error_prone_core and its dependencies from this test's class path, nothing of ours. */
  private static String errorProneCorePath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar") && !entry.contains("teardown-guard")
            && !entry.contains("junit") && !entry.contains("opentest4j"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
