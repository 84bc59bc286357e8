package io.teardownguard.it.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.it.ChildJvm;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Netty's epoll transport on a class loader of its own, not the system loader the agent is on:
 * the hooks inserted into {@code io.netty.channel.unix} must reach the hook class in java.base
 * from there (the agent exports sun.nio.ch to that loader's unnamed module), with -javaagent and
 * with the agent attached after Netty's classes were loaded (retransformed). The wire itself is
 * the field suite's ({@code netty-epoll}); here the report: the close with unread data as
 * {@code io.netty.channel.epoll.EpollSocketChannel}, its finding at the handler's line, no
 * internal error, and the application's own output unchanged.
 */
final class NettyNativeLoadersIT {
  private static final String SITE = EpollCloseScenario.CloseOnFirstRead.class.getName() + ".channelRead";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void nettyOnItsOwnLoaderIsSeenWithJavaagent(int feature) throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path summary = dir.resolve("summary.txt");
    List<String> command = child(feature,
        List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=report=" + report + ",summary=" + summary), "-");
    ChildJvm.Result run = ChildJvm.runCommand(command, java.util.Map.of(), 60);
    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
    assertTrue(run.stdout().contains("client saw: Connection reset"), run.stdout());
    assertTrue(Files.readString(summary).contains("internal errors 0,"), Files.readString(summary));
    assertReportsTheReset(report);
  }

  /** The child halts itself after 90 s if it hangs (NettyNativeChild), so the reads here end. */
  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void nettyLoadedBeforeADynamicAttachIsRetransformed(int feature) throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path go = dir.resolve("go");
    List<String> command = child(feature, List.of(), go.toString());
    Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("waiting", out.readLine());
      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), String.valueOf(process.pid()), "report=" + report + ",summary=off");
      Files.createFile(go);
      String client = out.readLine();
      assertTrue(client != null && client.startsWith("client saw: Connection reset"),
          client + "\n" + Files.readString(dir.resolve("stderr.txt")));
      assertEquals("done", out.readLine());
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not exit in 60 s");
      assertEquals(0, process.exitValue(), Files.readString(dir.resolve("stderr.txt")));
    } finally {
      process.destroyForcibly();
    }
    assertReportsTheReset(report);
  }

  private static void assertReportsTheReset(Path report) throws Exception {
    List<String> lines = Files.readAllLines(report);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"rule\":\"CLOSE_WITH_UNREAD_DATA\"")
        && l.contains("\"api\":\"io.netty.channel.epoll.EpollSocketChannel\"") && l.contains("\"site\":\"" + SITE + "(")),
        String.join("\n", lines));
  }

  /** {@code java OPTIONS NettyNativeChild GO} with the test classes and Netty's jars for its own loader. */
  private static List<String> child(int feature, List<String> options, String go) {
    List<String> command = new ArrayList<>(List.of(ChildJvm.jdk(feature).resolve("bin/java").toString()));
    command.addAll(options);
    command.addAll(List.of("-cp", testClasses(), NettyNativeChild.class.getName(), go));
    command.addAll(loaderPath());
    return command;
  }

  private static String testClasses() {
    return System.getProperty("tg.testClasses", "target/test-classes");
  }

  /** The test classes and Netty's jars, for the child's own loader. */
  private static List<String> loaderPath() {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = new ArrayList<>(List.of(testClasses()));
    Stream.of(path.split(File.pathSeparator)).filter(entry -> entry.contains("/io/netty/")).forEach(entries::add);
    return entries;
  }
}
