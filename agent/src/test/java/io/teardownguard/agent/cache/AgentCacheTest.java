package io.teardownguard.agent.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's entries on a real file system: what hits, what misses, and where it refuses to work. */
final class AgentCacheTest {
  private static final byte[] SOURCE = "the JDK's class file".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DERIVED = "the class file with its hooks".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path temp;

  private Path cacheDirectory() {
    return temp.resolve("cache");
  }

  private AgentCache cache(String build) {
    return AgentCache.in(cacheDirectory(), build);
  }

  private String entry() {
    return AgentCache.nameFor("hooked-Example-", SOURCE, ".class");
  }

  @Test
  void aStoredEntryIsFoundByTheSameBuildForTheSameBytesInAFreshInstance() throws IOException {
    assertNull(cache("1").derived(entry(), SOURCE));
    cache("1").storeDerived(entry(), SOURCE, DERIVED);

    assertArrayEquals(DERIVED, cache("1").derived(entry(), SOURCE));
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(cacheDirectory(), LinkOption.NOFOLLOW_LINKS)));
    try (Stream<Path> files = Files.list(cacheDirectory())) {
      assertEquals(List.of(entry()), files.map(f -> f.getFileName().toString()).toList(), "no temporary file left");
    }
  }

  @Test
  void anotherBuildOrOtherSourceBytesMiss() {
    cache("1").storeDerived(entry(), SOURCE, DERIVED);

    assertNull(cache("2").derived(entry(), SOURCE));
    byte[] otherSource = SOURCE.clone();
    otherSource[0] ^= 1;
    assertNull(cache("1").derived(entry(), otherSource), "same name, other bytes: compared in full");
    assertNull(cache("1").derived(entry(), new byte[] {1, 2, 3}));
  }

  @Test
  void aDamagedTruncatedOrForeignEntryMissesAndIsReplacedByTheNextStore() throws IOException {
    cache("1").storeDerived(entry(), SOURCE, DERIVED);
    Path file = cacheDirectory().resolve(entry());
    byte[] stored = Files.readAllBytes(file);

    byte[] damaged = stored.clone();
    damaged[damaged.length - 10] ^= 0x40; // inside the derived bytes: only the CRC notices
    Files.write(file, damaged);
    assertNull(cache("1").derived(entry(), SOURCE));

    Files.write(file, java.util.Arrays.copyOf(stored, stored.length - 7));
    assertNull(cache("1").derived(entry(), SOURCE));

    Files.writeString(file, "not an entry of the agent's at all");
    assertNull(cache("1").derived(entry(), SOURCE));
    Files.write(file, new byte[0]);
    assertNull(cache("1").derived(entry(), SOURCE));

    cache("1").storeDerived(entry(), SOURCE, DERIVED);
    assertArrayEquals(DERIVED, cache("1").derived(entry(), SOURCE));
  }

  @Test
  void aDirectoryOthersMayWriteIsNotUsed() throws IOException {
    Files.createDirectory(cacheDirectory(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    Files.setPosixFilePermissions(cacheDirectory(), PosixFilePermissions.fromString("rwxrwxrwx"));
    AgentCache cache = cache("1");

    cache.storeDerived(entry(), SOURCE, DERIVED);

    assertFalse(cache.isUsable());
    assertNull(cache.derived(entry(), SOURCE));
    assertNull(cache.file("lib.so", DERIVED));
    try (Stream<Path> files = Files.list(cacheDirectory())) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aSymbolicLinkToAnOwnerOnlyDirectoryIsNotUsed() throws IOException {
    Path real = Files.createDirectory(temp.resolve("real"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Files.createSymbolicLink(cacheDirectory(), real);

    assertFalse(cache("1").isUsable());
  }

  @Test
  void aDirectoryThatCannotBeCreatedLeavesTheCacheOffWithoutAnError() throws IOException {
    Files.writeString(temp.resolve("file"), "a file where a directory should be");
    AgentCache cache = AgentCache.in(temp.resolve("file").resolve("cache"), "1");

    cache.storeDerived(entry(), SOURCE, DERIVED);

    assertFalse(cache.isUsable());
    assertNull(cache.derived(entry(), SOURCE));
  }

  @Test
  void offAndNoBuildIdentityNeverTouchTheFileSystem() {
    assertFalse(AgentCache.off().isUsable());
    assertFalse(AgentCache.in(cacheDirectory(), null).isUsable());
    assertFalse(AgentCache.in(null, "1").isUsable());
    assertFalse(AgentCache.chosen("off", AgentCacheTest.class).isUsable());
    assertFalse(AgentCache.chosen(cacheDirectory().toString(), AgentCacheTest.class).isUsable(),
        "classes outside a jar name no build");
    assertFalse(Files.exists(cacheDirectory()));
  }

  @Test
  void aFileIsWrittenOnceComparedInFullAndRewrittenWhenItHoldsAnythingElse() throws IOException {
    byte[] library = "an ELF shared object".getBytes(StandardCharsets.UTF_8);
    String name = AgentCache.nameFor("lib-", library, ".so");

    Path file = cache("1").file(name, library);
    assertEquals(cacheDirectory().resolve(name), file);
    assertArrayEquals(library, Files.readAllBytes(file));

    assertEquals(file, cache("2").file(name, library), "a file is named by its content, not by the build");
    Files.writeString(file, "swapped");
    assertEquals(file, cache("1").file(name, library));
    assertArrayEquals(library, Files.readAllBytes(file));
  }

  @Test
  void theDefaultDirectoryFollowsXdgThenTheHomeDirectory() {
    assertEquals(Path.of("/x/teardown-guard"), AgentCache.defaultDirectory("/x", "/home/u"));
    assertEquals(Path.of("/home/u/.cache/teardown-guard"), AgentCache.defaultDirectory("relative", "/home/u"));
    assertEquals(Path.of("/home/u/.cache/teardown-guard"), AgentCache.defaultDirectory(null, "/home/u"));
    assertNull(AgentCache.defaultDirectory(null, "?"));
    assertNull(AgentCache.defaultDirectory(null, null));
  }
}
