package io.teardownguard.agent.junit;

import io.teardownguard.model.rules.Severity;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test under Teardown Guard: the agent is installed in-process if it is not attached,
 * and a test whose code (any thread) makes a teardown with a finding of {@link #failOn()} or
 * worse fails, listing the findings; with {@link #reportOnly()} they are only reported.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TeardownGuardExtension.class)
public @interface TeardownGuarded {
  /** The least severity that fails a test. */
  Severity failOn() default Severity.ERROR;

  /** Report findings (stderr and the test's report entries) without failing. */
  boolean reportOnly() default false;

  /** Agent options for an in-process install ({@code key=value,...}), e.g. {@code "report=/tmp/t.jsonl"}. */
  String options() default "";
}
