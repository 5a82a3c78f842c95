package io.github.researchcycle.core.launch;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code launch/NAME.yaml}: where and on what a run executes.
 *
 * @param description what the profile is for
 * @param target {@code local}, {@code slurm}, {@code kubernetes} or {@code tpu-vm}
 * @param devices {@code cpu}, or {@code gpu:N}
 * @param heap the training JVM's maximum heap, as for {@code -Xmx} (for example {@code 2g})
 * @param memory the memory the whole process may use (for schedulers), for example {@code 8G}
 * @param timeLimit the wall-time limit, for example {@code 00:30:00}
 * @param cpus CPU cores
 * @param jvmArgs further JVM options
 * @param env environment variables for the training process
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LaunchProfile(
    String description,
    String target,
    String devices,
    String heap,
    String memory,
    String timeLimit,
    Integer cpus,
    List<String> jvmArgs,
    Map<String, String> env) {

  /** The target, {@code local} when unset. */
  public String targetOrDefault() {
    return target == null ? "local" : target;
  }

  /** The heap, {@code 1g} when unset. */
  public String heapOrDefault() {
    return heap == null ? "1g" : heap;
  }

  /** The JVM options, none when unset. */
  public List<String> jvmArgsOrEmpty() {
    return jvmArgs == null ? List.of() : jvmArgs;
  }

  /** The environment variables, none when unset. */
  public Map<String, String> envOrEmpty() {
    return env == null ? Map.of() : env;
  }
}
