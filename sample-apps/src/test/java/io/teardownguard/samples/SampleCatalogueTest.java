package io.teardownguard.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.samples.support.Loopback;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** samples.txt, the catalogue the agent's runner reads, names only code that exists, and all of it. */
final class SampleCatalogueTest {

  private static final Pattern EXPECTATION =
      Pattern.compile("([A-Z][A-Z_]*)@(io\\.teardownguard\\.samples\\.[\\w.]+)\\.(\\w+)");

  @Test
  void everyMainClassIsAPublicStaticMain() throws Exception {
    for (String[] entry : entries()) {
      Method main = Class.forName(entry[0]).getMethod("main", String[].class);
      assertTrue(Modifier.isStatic(main.getModifiers()), entry[0]);
    }
  }

  @Test
  void everyExpectedFindingNamesARuleAndAnExistingMethod() throws Exception {
    for (String[] entry : entries()) {
      if (entry[1].equals("clean")) {
        continue;
      }
      for (String expectation : entry[1].split(",")) {
        Matcher matcher = EXPECTATION.matcher(expectation);
        assertTrue(matcher.matches(), "malformed expectation: " + expectation);
        Class<?> site = Class.forName(matcher.group(2));
        assertTrue(Arrays.stream(site.getDeclaredMethods())
            .anyMatch(m -> m.getName().equals(matcher.group(3))), "no such method: " + expectation);
      }
    }
  }

  @Test
  void everyUnsafeProgramExpectsAFindingAndHasASafeVariant() throws Exception {
    Set<String> listed = entries().stream().map(e -> e[0]).collect(Collectors.toSet());
    for (String[] entry : entries()) {
      if (entry[0].endsWith("Unsafe")) {
        assertFalse(entry[1].equals("clean"), entry[0] + " is unsafe but expects no finding");
        String safe = entry[0].substring(0, entry[0].length() - "Unsafe".length()) + "Safe";
        assertTrue(listed.contains(safe), "no safe variant listed for " + entry[0]);
      }
    }
  }

  @Test
  void everySampleProgramIsListed() throws Exception {
    Path classes = Path.of(Loopback.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> programs;
    try (Stream<Path> files = Files.walk(classes)) {
      programs = files.map(classes::relativize).map(Path::toString)
          .filter(name -> name.endsWith("Unsafe.class") || name.endsWith("Safe.class"))
          .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> listed = entries().stream().map(e -> e[0])
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> unlisted = new TreeSet<>(programs);
    unlisted.removeAll(listed);
    Set<String> unknown = new TreeSet<>(listed);
    unknown.removeAll(programs);
    assertTrue(unlisted.isEmpty(), "programs missing from samples.txt: " + unlisted);
    assertTrue(unknown.isEmpty(), "samples.txt lists programs that do not exist: " + unknown);
  }

  /** The catalogue's non-comment lines, each split into main class and expectation. */
  private static List<String[]> entries() throws IOException {
    List<String[]> entries = new ArrayList<>();
    try (InputStream in = SampleCatalogueTest.class.getResourceAsStream("/samples.txt");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] entry = line.split(" ");
        assertEquals(2, entry.length, "malformed line: " + line);
        entries.add(entry);
      }
    }
    return entries;
  }
}
