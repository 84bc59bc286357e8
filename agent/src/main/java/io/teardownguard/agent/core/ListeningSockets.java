package io.teardownguard.agent.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The ports this process already listens on when the agent starts (a dynamic attach, or an
 * install from code, after the application opened its listeners): the sockets among the
 * process's own descriptors ({@code /proc/self/fd}, {@code socket:[inode]}) whose row in
 * {@code /proc/self/net/tcp6} or {@code tcp} is in state LISTEN (0A). Matching inodes keeps out the
 * listeners of other processes in the same network namespace. Read once, off the application's
 * threads; without /proc (not Linux) nothing is learned.
 */
final class ListeningSockets {
  private static final String SOCKET_LINK_PREFIX = "socket:[";
  private static final String LISTEN = "0A";
  private static final int LOCAL_COLUMN = 1;
  private static final int STATE_COLUMN = 3;
  private static final int INODE_COLUMN = 9;

  private ListeningSockets() {}

  /** Hands each local port this process listens on to {@code port}; the number found. */
  static int learn(Path proc, IntConsumer port) throws IOException {
    Set<String> inodes = socketInodes(proc.resolve("self/fd"));
    if (inodes.isEmpty()) {
      return 0; // nothing open yet (an agent started with the JVM): no table to read
    }
    int found = 0;
    for (String table : new String[] {"self/net/tcp6", "self/net/tcp"}) {
      try (BufferedReader rows = Files.newBufferedReader(proc.resolve(table))) {
        for (String row = rows.readLine(); row != null; row = rows.readLine()) {
          if (!row.contains(" 0A ")) {
            continue; // a namespace can list tens of thousands of connections: split only listeners
          }
          String[] columns = row.trim().split("\\s+");
          if (columns.length > INODE_COLUMN && columns[STATE_COLUMN].equals(LISTEN)
              && inodes.contains(columns[INODE_COLUMN])) {
            String local = columns[LOCAL_COLUMN];
            port.accept(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
            found++;
          }
        }
      } catch (NoSuchFileException e) {
        // tcp6 is absent when the kernel runs without IPv6
      }
    }
    return found;
  }

  private static Set<String> socketInodes(Path fds) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(fds)) {
      for (Path fd : all) {
        String link;
        try {
          link = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (link.startsWith(SOCKET_LINK_PREFIX) && link.endsWith("]")) {
          inodes.add(link.substring(SOCKET_LINK_PREFIX.length(), link.length() - 1));
        }
      }
    }
    return inodes;
  }
}
