package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar holds our packages and relocated dependencies only, and names its entry point;
 * so does the Prometheus jar nested in it.
 */
final class AgentJarIT {

  private static List<String> nestedEntries(JarFile jar, String name) throws IOException {
    JarEntry entry = jar.getJarEntry(name);
    assertTrue(entry != null, name + " missing");
    List<String> names = new ArrayList<>();
    try (JarInputStream in = new JarInputStream(jar.getInputStream(entry))) {
      for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }

  @Test
  void jarHoldsOnlyTeardownGuardClassesAndItsManifestNamesTheMainClass() throws Exception {
    try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
      var manifest = jar.getManifest().getMainAttributes();
      assertEquals("io.teardownguard.agent.TeardownGuardMain", manifest.getValue("Main-Class"));
      assertEquals("io.teardownguard.agent.TeardownGuardAgent", manifest.getValue("Premain-Class"));
      assertEquals("io.teardownguard.agent.TeardownGuardAgent", manifest.getValue("Agent-Class"));
      assertEquals("true", manifest.getValue("Can-Retransform-Classes"));
      assertTrue(jar.getEntry("native/linux-x86_64/libteardownguard-probe.so") != null, "native probe");
      List<String> foreignClasses = jar.stream()
          .map(e -> e.getName())
          .filter(n -> n.endsWith(".class") && !n.startsWith("io/teardownguard/"))
          .toList();
      assertEquals(List.of(), foreignClasses, "classes outside io/teardownguard (not relocated)");
      List<String> foreignRegistrations = jar.stream()
          .map(e -> e.getName())
          .filter(n -> n.startsWith("META-INF/services/io.") || n.startsWith("META-INF/native-image/"))
          .toList();
      assertEquals(List.of(), foreignRegistrations,
          "unrelocated service or GraalVM registrations would reach the application's own Micrometer");
      List<String> nested = nestedEntries(jar, "io/teardownguard/agent/metrics/prometheus.jar");
      assertEquals(List.of(), nested.stream().filter(n -> n.endsWith(".class") && !n.startsWith("io/teardownguard/")).toList(),
          "classes outside io/teardownguard in the Prometheus jar (not relocated)");
      assertTrue(nested.contains("io/teardownguard/shaded/micrometer/prometheusmetrics/PrometheusMeterRegistry.class"), nested.toString());
      assertTrue(nested.contains("io/teardownguard/agent/metrics/prometheus/PrometheusEndpoint.class"), nested.toString());
      assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("io/teardownguard/shaded/micrometer/")),
          "Micrometer is in the nested jar only: the main jar's central directory is read at every JVM start");
      assertTrue(jar.getEntry("io/teardownguard/model/semantics/TeardownModel.class") != null);
      assertTrue(jar.getEntry("scenarios/INDEX") != null);
    }
  }
}
