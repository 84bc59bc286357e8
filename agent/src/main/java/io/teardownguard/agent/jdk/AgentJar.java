package io.teardownguard.agent.jdk;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the agent's own resources from its jar (or class directory) directly. Not through
 * {@code ClassLoader.getResourceAsStream}: the system loader asks its parents first, and the boot
 * loader, for a name in no package of its modules, searches every module of the runtime image
 * (the jimage reader's set-up) before the class path answers through a {@code jar:} URL
 * connection: some 35 classes and a few ms of CPU inside a short-lived JVM (issue 14). Opening
 * the jar again shares the class loader's already open zip file (ZipFile keeps one per file).
 */
public final class AgentJar {
  private AgentJar() {}

  /** The bytes of resource {@code name} (e.g. {@code native/linux-x86_64/lib.so}), or null if there is none. */
  public static byte[] read(String name) throws IOException {
    File location = location();
    if (location == null) {
      try (InputStream in = AgentJar.class.getClassLoader().getResourceAsStream(name)) {
        return in == null ? null : in.readAllBytes();
      }
    }
    if (location.isDirectory()) {
      File file = new File(location, name);
      if (!file.isFile()) {
        return null;
      }
      try (InputStream in = new FileInputStream(file)) {
        return in.readAllBytes();
      }
    }
    try (ZipFile jar = new ZipFile(location)) {
      ZipEntry entry = jar.getEntry(name);
      if (entry == null) {
        return null;
      }
      try (InputStream in = jar.getInputStream(entry)) {
        return in.readAllBytes();
      }
    }
  }

  /** The agent's jar or class directory, or null when its classes come from elsewhere (no file). */
  private static File location() {
    CodeSource source = AgentJar.class.getProtectionDomain().getCodeSource();
    URL url = source == null ? null : source.getLocation();
    if (url == null || !url.getProtocol().equals("file")) {
      return null;
    }
    try {
      return new File(url.toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
