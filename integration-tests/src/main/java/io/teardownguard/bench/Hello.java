package io.teardownguard.bench;

/** The start-up benchmark's program: as little as a Java program can do, so start-up is all. */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
