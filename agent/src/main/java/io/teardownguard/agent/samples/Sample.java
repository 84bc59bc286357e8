package io.teardownguard.agent.samples;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * One catalogue line: a main class and what the agent must find, {@code clean} or
 * {@code RULE@class.method[,RULE@class.method]...}.
 */
record Sample(String mainClass, Set<String> expected) {

  static Sample parse(String line) throws IOException {
    String[] words = line.split("\\s+");
    if (words.length != 2) {
      throw new IOException("samples.txt: '" + line + "' is not '<main class> <clean|RULE@class.method,...>'");
    }
    Set<String> expected = new TreeSet<>();
    if (!words[1].equals("clean")) {
      for (String finding : words[1].split(",")) {
        expected.add(finding);
      }
    }
    return new Sample(words[0], expected);
  }
}
