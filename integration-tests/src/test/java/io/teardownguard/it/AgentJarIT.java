package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The shaded jar holds our packages and relocated dependencies only, and names its entry point. */
final class AgentJarIT {

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
      assertTrue(jar.getEntry("io/teardownguard/shaded/micrometer/prometheusmetrics/PrometheusMeterRegistry.class") != null);
      assertTrue(jar.getEntry("io/teardownguard/model/semantics/TeardownModel.class") != null);
      assertTrue(jar.getEntry("scenarios/INDEX") != null);
    }
  }
}
