package io.teardownguard.agent.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Opens a file the agent writes (the report, the exit summary) without harming what is at its
 * path, which the agent may be writing as root: a new file is created owner-only (0600) with
 * {@code O_CREAT|O_EXCL}; an existing one is opened with {@code O_NOFOLLOW}, made 0600 and only
 * then emptied; nothing is ever deleted. A symbolic link, directory, device or FIFO at the path
 * is refused ({@link NotRegularFile}): {@code report=/dev/null} leaves {@code /dev/null} as it was.
 */
final class OwnerOnlyFile {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFile() {}

  /** The path holds something other than a regular file; nothing was opened. */
  static final class NotRegularFile extends IOException {
    private static final long serialVersionUID = 1L;

    NotRegularFile(String what) {
      super("it is " + what + ", not a regular file; left as it is");
    }
  }

  /**
   * Opens {@code path} for writing from its start, not yet emptied: the caller empties it once it
   * holds the file's lock, so that a file another process is writing is never emptied.
   */
  static FileChannel open(Path path) throws IOException {
    for (int attempt = 0; ; attempt++) {
      BasicFileAttributes existing;
      try {
        // lstat(2): a symbolic link is seen as one, not followed.
        existing = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException absent) {
        try {
          return create(path);
        } catch (FileAlreadyExistsException raced) {
          if (attempt > 0) {
            throw raced;
          }
          continue; // created by someone else since the lstat: look again, once
        }
      }
      if (!existing.isRegularFile()) {
        throw new NotRegularFile(existing.isSymbolicLink() ? "a symbolic link"
            : existing.isDirectory() ? "a directory" : "a device, FIFO or socket");
      }
      // O_NOFOLLOW: a link swapped in since the lstat fails the open (ELOOP) instead of being followed.
      FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      try {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
            LinkOption.NOFOLLOW_LINKS);
        if (view != null) {
          view.setPermissions(OWNER_ONLY);
        }
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      return channel;
    }
  }

  private static FileChannel create(Path path) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
    FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    try {
      return FileChannel.open(path, options, ownerOnly);
    } catch (UnsupportedOperationException notPosix) {
      return FileChannel.open(path, options);
    }
  }

  /** What went wrong, in the system's words ("No space left on device"), without the path. */
  static String reason(IOException e) {
    if (e instanceof FileSystemException failure && failure.getReason() != null) {
      return failure.getReason();
    }
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    return e.getMessage();
  }

  /** Opens, empties and writes {@code text} whole: the exit summary. */
  static void write(Path path, byte[] text) throws IOException {
    try (FileChannel channel = open(path)) {
      channel.truncate(0);
      ByteBuffer buffer = ByteBuffer.wrap(text);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }
}
