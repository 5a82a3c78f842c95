package io.github.researchcycle.core.launch;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code launch/NAME.yaml}: where and on what a run executes.
 *
 * @param description what the profile is for
 * @param target {@code local}, {@code slurm}, {@code kubernetes} or {@code tpu-vm}
 * @param devices {@code cpu}, {@code gpu} (one) or {@code gpu:N}
 * @param batch the per-device or global batch on this profile; unset keeps the experiment's batch
 * @param learningRate how the learning rate follows the batch (Goyal et al. 2017)
 * @param heap the training JVM's maximum heap, as for {@code -Xmx} (for example {@code 2g})
 * @param memory the memory the whole process may use (for schedulers), for example {@code 8G}
 * @param timeLimit the wall-time limit, {@code [D-]HH:MM:SS} or minutes
 * @param cpus CPU cores
 * @param parallel how many runs (seeds, sweep points) go at once: local processes, or array tasks
 * @param jvmArgs further JVM options
 * @param env environment variables for the training process
 * @param slurm the Slurm target's settings
 * @param kubernetes the Kubernetes target's settings
 * @param tpu the TPU VM target's settings
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LaunchProfile(
    String description,
    String target,
    String devices,
    Batch batch,
    LearningRate learningRate,
    String heap,
    String memory,
    String timeLimit,
    Integer cpus,
    Integer parallel,
    List<String> jvmArgs,
    Map<String, String> env,
    Slurm slurm,
    Kubernetes kubernetes,
    Tpu tpu) {

  /** The profile used when a repository has no {@code launch/} folder. */
  public static LaunchProfile defaultLocal() {
    return new LaunchProfile("the default: this machine's CPU", "local", "cpu", null, null, null, null, null, null,
        null, null, null, null, null, null);
  }

  /**
   * The batch on this profile.
   *
   * @param perDevice the batch each device sees; the global batch is this times the devices
   * @param global the batch of one optimizer step over all devices
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Batch(Integer perDevice, Integer global) {}

  /**
   * How the learning rate follows the batch.
   *
   * @param scaling {@code none}, {@code linear} (lr × k for a batch k times the experiment's) or
   *     {@code sqrt} (lr × √k)
   * @param warmupEpochs epochs over which the rate climbs linearly from the experiment's rate to
   *     the scaled one (gradual warmup); 0 for none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LearningRate(String scaling, Integer warmupEpochs) {}

  /**
   * Slurm settings; each is passed to {@code sbatch} when set.
   *
   * @param partition {@code --partition}
   * @param account {@code --account}
   * @param qos {@code --qos}
   * @param constraint {@code --constraint}
   * @param gpuType the GPU type in {@code --gres=gpu:TYPE:N}, when the cluster names them
   * @param options further {@code sbatch} options, one per entry (for example {@code --exclusive})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Slurm(String partition, String account, String qos, String constraint, String gpuType,
      List<String> options) {}

  /**
   * Kubernetes settings.
   *
   * @param image the container image, with Java 17 and the project's classpath (see the README)
   * @param namespace the namespace of the Job; the context's own when unset
   * @param gpuResource the extended resource that counts GPUs, {@code nvidia.com/gpu} when unset
   * @param runsClaim the PersistentVolumeClaim mounted at the project's {@code runs/} folder
   * @param workDir the project's folder inside the image
   * @param serviceAccount the service account of the pods
   * @param imagePullPolicy {@code Always}, {@code IfNotPresent} or {@code Never}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Kubernetes(String image, String namespace, String gpuResource, String runsClaim, String workDir,
      String serviceAccount, String imagePullPolicy) {}

  /**
   * TPU VM settings. DJL has no TPU engine: the VM runs {@code command}, a program of the
   * researcher's (JAX or PyTorch/XLA) that writes the run directory's metrics file.
   *
   * @param type the accelerator type, for example {@code v4-8}
   * @param zone the zone, for example {@code us-central2-b}
   * @param runtimeVersion the TPU software version, for example {@code tpu-ubuntu2204-base}
   * @param project the cloud project; gcloud's default when unset
   * @param command the command run on the VM in the copied project folder
   * @param preemptible whether to ask for a preemptible (spot) VM
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tpu(String type, String zone, String runtimeVersion, String project, List<String> command,
      Boolean preemptible) {}

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

  /** How many runs go at once, 1 when unset. */
  public int parallelOrDefault() {
    return parallel == null ? 1 : parallel;
  }

  /** The number of GPUs asked for: 0 for the CPU (and a TPU). */
  @JsonIgnore
  public int gpus() {
    if (devices == null || !devices.startsWith("gpu")) {
      return 0;
    }
    if (devices.equals("gpu")) {
      return 1;
    }
    return Integer.parseInt(devices.substring("gpu:".length()));
  }
}
