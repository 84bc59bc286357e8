package io.teardownguard.conformance.scenario;

import java.util.List;
import java.util.Map;

/**
 * One scenario file: a call sequence run once per API variant.
 *
 * @param name the file name without {@code .scn}
 * @param description the leading comment: the claim it checks and where it comes from
 * @param sources where the claim comes from (seed article, RFC, JDK class)
 * @param apis the API variants it runs with
 * @param setup connection set-up: {@code local=client|server|connecting}, buffer sizes
 * @param steps the steps, in order; exactly one is {@code call}
 */
public record Scenario(
    String name,
    String description,
    List<String> sources,
    List<ApiVariant> apis,
    Map<String, String> setup,
    List<Step> steps) {

  public Scenario {
    sources = List.copyOf(sources);
    apis = List.copyOf(apis);
    setup = Map.copyOf(setup);
    steps = List.copyOf(steps);
  }

  /**
   * Whether it runs on the named network ({@code loopback} or {@code veth}): {@code setup
   * network=NAME} keeps a scenario to one, because what it shows exists only there.
   */
  public boolean runsOn(String network) {
    return setupValue("network", network).equals(network);
  }

  public String setupValue(String key, String defaultValue) {
    return setup.getOrDefault(key, defaultValue);
  }

  public int setupInt(String key, int defaultValue) {
    String value = setup.get(key);
    return value == null ? defaultValue : Integer.parseInt(value);
  }
}
