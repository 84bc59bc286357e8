package io.teardownguard.bench;

import java.nio.file.Path;
import java.util.List;

/** The harness's choices, from its command line (see {@link Benchmarks}). */
record Settings(
    int pairs,
    int segmentMillis,
    int warmupSeconds,
    int starts,
    long straceConnections,
    long heapConnections,
    List<String> measurements,
    Path json) {}
