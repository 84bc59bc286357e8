package io.teardownguard.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Interleaving: round r runs the settings rotated by r, so none always goes first or last. */
final class Rotation {
  private Rotation() {}

  static <T> List<T> of(List<T> items, int round) {
    List<T> rotated = new ArrayList<>(items);
    Collections.rotate(rotated, -(round % items.size()));
    return rotated;
  }
}
