package io.teardownguard.model.semantics;

import io.teardownguard.model.Syscall;
import io.teardownguard.model.rules.Citation;
import io.teardownguard.model.rules.Rule;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One row of the kernel layer: a syscall on a socket matching {@code when} does {@code effect}.
 *
 * @param id a stable name, used by the docs and by the coverage check
 * @param syscall the syscall it covers
 * @param when the sockets it covers
 * @param effect what happens
 * @param citation the kernel function (or RFC) that does it
 * @param rule the hazard it represents, or {@code null}
 */
record KernelRow(
    String id,
    Syscall.Kind syscall,
    Predicate<KernelSocket> when,
    Function<KernelSocket, Effect> effect,
    Citation citation,
    Rule rule) {}
