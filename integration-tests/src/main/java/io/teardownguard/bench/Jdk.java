package io.teardownguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JDK the children run on: its home and the version its {@code release} file names. */
record Jdk(Path home, int feature, String version) {
  private static final Pattern RUNTIME_VERSION = Pattern.compile("(?m)^JAVA_RUNTIME_VERSION=\"([^\"]+)\"");
  private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)[^\"]*\"");

  /** Reads the JDK at {@code home}; the message names what is missing. */
  static Jdk at(Path home) {
    if (!Files.isExecutable(home.resolve("bin/java"))) {
      throw new Flags.BadFlagException("--jdk: no bin/java under '" + home + "'");
    }
    String release;
    try {
      release = Files.readString(home.resolve("release"));
    } catch (IOException e) {
      throw new Flags.BadFlagException("--jdk: cannot read '" + home.resolve("release") + "' (" + e.getMessage() + ")");
    }
    Matcher feature = VERSION.matcher(release);
    if (!feature.find()) {
      throw new Flags.BadFlagException("--jdk: no JAVA_VERSION in '" + home.resolve("release") + "'");
    }
    Matcher runtime = RUNTIME_VERSION.matcher(release);
    return new Jdk(home, Integer.parseInt(feature.group(1)), runtime.find() ? runtime.group(1) : feature.group(0));
  }

  Path java() {
    return home.resolve("bin/java");
  }

  String label() {
    return "JDK " + feature;
  }
}
