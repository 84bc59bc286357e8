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
      assertEquals("io.teardownguard.agent.TeardownGuardMain",
          jar.getManifest().getMainAttributes().getValue("Main-Class"));
      List<String> foreignClasses = jar.stream()
          .map(e -> e.getName())
          .filter(n -> n.endsWith(".class") && !n.startsWith("io/teardownguard/"))
          .toList();
      assertEquals(List.of(), foreignClasses, "classes outside io/teardownguard (not relocated)");
      assertTrue(jar.getEntry("io/teardownguard/model/semantics/TeardownModel.class") != null);
      assertTrue(jar.getEntry("scenarios/INDEX") != null);
    }
  }
}
