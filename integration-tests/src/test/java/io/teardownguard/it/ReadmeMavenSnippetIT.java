package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's "Error Prone checks" Maven section, followed as a new user would: the install command it
 * names, then a new project made of nothing but its pom snippet and its {@code .mvn/jvm.config}, built
 * with the {@code mvn} on the PATH running on JDK 25. The check's warning must appear.
 *
 * <p>Both builds use a private local repository under target/, so nothing is installed into the
 * shared {@code ~/.m2}; that repository is seeded from {@code ~/.m2} as a file:// remote for
 * released artifacts only, so the plugin's SNAPSHOT can only come from the README's install step.
 */
@Timeout(900)
final class ReadmeMavenSnippetIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path WORK = Path.of("target", "readme-maven-snippet").toAbsolutePath();

  @Test
  void snippetCopiedIntoANewProjectReportsTheCheck() throws Exception {
    String section = errorProneSection(Files.readString(ROOT.resolve("README.md")));
    String installCommand = codeBlocks(section, "sh").stream()
        .flatMap(String::lines)
        .map(line -> line.replaceFirst("#.*", "").strip())
        .filter(line -> line.contains("install"))
        .findFirst().orElseThrow(() -> new AssertionError("no install command in README's Error Prone section"));
    String pluginSnippet = codeBlocks(section, "xml").get(0);
    String jvmConfig = codeBlocks(section, "").stream()
        .filter(block -> block.startsWith("--add-exports"))
        .findFirst().orElseThrow(() -> new AssertionError("no .mvn/jvm.config block in README's Error Prone section"));

    deleteRecursively(WORK);
    Path repository = WORK.resolve("repository");
    Path settings = seededSettings(WORK.resolve("settings.xml"));
    List<String> privateRepository = List.of("-s", settings.toString(), "-Dmaven.repo.local=" + repository);

    List<String> install = new ArrayList<>(Arrays.asList(installCommand.split("\\s+")));
    install.addAll(privateRepository);
    Run installed = run(ROOT, install, 600);
    assertEquals(0, installed.exitCode(), "README's install step failed: " + installed.output());

    Path project = WORK.resolve("app");
    Files.createDirectories(project.resolve(".mvn"));
    Files.writeString(project.resolve(".mvn/jvm.config"), jvmConfig);
    Files.writeString(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>readme-snippet</artifactId>
          <version>1</version>
          <properties><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
          <build>
            <plugins>
        %s
            </plugins>
          </build>
        </project>
        """.formatted(pluginSnippet));
    Path source = project.resolve("src/main/java/com/example/Pool.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, """
        package com.example;

        import java.io.IOException;
        import java.net.Socket;

        final class Pool {
          static void release(Socket connection) throws IOException {
            connection.setSoLinger(true, 0);
            connection.close();
          }
        }
        """);

    List<String> compile = new ArrayList<>(List.of("mvn", "-B", "-ntp", "compile"));
    compile.addAll(privateRepository);
    Run built = run(project, compile, 600);

    assertEquals(0, built.exitCode(), "the snippet's project did not build: " + built.output());
    assertTrue(built.output().contains("Pool.java:[8,") && built.output().contains("[AbortiveClose]"),
        "no AbortiveClose warning at Pool.java line 8: " + built.output());
  }

  /** The text from README's "## Error Prone checks" heading to the next second-level heading. */
  private static String errorProneSection(String readme) {
    int start = readme.indexOf("\n## Error Prone checks\n");
    assertTrue(start >= 0, "README has no '## Error Prone checks' section");
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  /**
   * The contents of the fenced code blocks whose info string is {@code language} ("" for none), an
   * opening fence's indentation (a block inside a list item) taken off each of its lines.
   */
  private static List<String> codeBlocks(String markdown, String language) {
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    String indent = "";
    boolean wanted = false;
    for (String line : markdown.lines().toList()) {
      String stripped = line.strip();
      if (block == null && stripped.startsWith("```")) {
        block = new StringBuilder();
        indent = line.substring(0, line.indexOf('`'));
        wanted = stripped.substring(3).strip().equals(language);
      } else if (block != null && stripped.equals("```")) {
        if (wanted) {
          blocks.add(block.toString());
        }
        block = null;
      } else if (block != null) {
        block.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
      }
    }
    return blocks;
  }

  /**
   * Maven settings that add ~/.m2 as a file:// repository for released artifacts (before Maven
   * Central, which stays reachable for what it lacks), so the private repository fills quickly.
   */
  private static Path seededSettings(Path settings) throws IOException {
    String seed = Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
    String repository = """
        <id>seed</id><url>%s</url>
        <releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>
        """.formatted(seed);
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, """
        <settings>
          <profiles><profile><id>seed</id>
            <repositories><repository>%s</repository></repositories>
            <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
          </profile></profiles>
          <activeProfiles><activeProfile>seed</activeProfile></activeProfiles>
        </settings>
        """.formatted(repository, repository));
    return settings;
  }

  private record Run(int exitCode, String output) {}

  /** Runs {@code command} in {@code directory} with Maven on JDK 25, output and errors merged. */
  private static Run run(Path directory, List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(WORK, "mvn", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", ChildJvm.jdk(25).toString());
    env.remove("MAVEN_OPTS");
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s: " + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log));
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
