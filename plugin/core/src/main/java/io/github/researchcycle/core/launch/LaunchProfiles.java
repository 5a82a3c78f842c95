package io.github.researchcycle.core.launch;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.DidYouMean;
import io.github.researchcycle.core.config.YamlFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Loads and checks {@code launch/NAME.yaml}. */
public final class LaunchProfiles {
  /** The targets this version can launch on. */
  public static final Set<String> TARGETS = Set.of("local", "slurm", "kubernetes", "tpu-vm");
  /** The learning-rate scaling rules. */
  public static final Set<String> SCALING = Set.of("none", "linear", "sqrt");

  private static final Pattern DEVICES = Pattern.compile("cpu|gpu|gpu:([1-9][0-9]*)|tpu");
  private static final Pattern TPU_TYPE = Pattern.compile("v[0-9]+[a-z]*-([1-9][0-9]*)");
  private static final String NAME = "[A-Za-z0-9_.-]+";
  private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

  private LaunchProfiles() {}

  /** Loads profile {@code name} of the research repository at {@code root}. */
  public static LaunchProfile load(Path root, String name) {
    Path file = root.resolve("launch").resolve(name + ".yaml");
    if (name.contains("/") || !Files.isRegularFile(file)) {
      List<String> known = names(root);
      if ("local".equals(name) && known.isEmpty()) {
        return LaunchProfile.defaultLocal();
      }
      throw new ResearchException("launch/" + name + ".yaml: no such launch profile" + DidYouMean.hint(name, known)
          + ". Profiles here: " + (known.isEmpty() ? "none" : String.join(", ", known))
          + ". Fix: choose one with -Dresearch.profile=NAME, or create launch/" + name + ".yaml.");
    }
    LaunchProfile p = YamlFiles.read(root, file, LaunchProfile.class);
    new Checker(root, file).check(p);
    return p;
  }

  /**
   * The devices a program sees on a TPU of accelerator type {@code type}, which the batch is split
   * over: the number after the dash counts TensorCores, and each is a device on v2 and v3 (v3-8: 8),
   * while v4 and v5p join a chip's two cores into one device (v4-8: 4 chips, 4 devices); v5e and
   * v6e types count chips of one core (v5litepod-8: 8).
   */
  public static int tpuCores(String type) {
    int size = tpuSize(type);
    String t = type == null ? "" : type;
    return t.startsWith("v4-") || t.startsWith("v5p-") ? size / 2 : size;
  }

  /** The number after the dash of an accelerator type ({@code v4-8}: 8); more than 8 spans several hosts. */
  public static int tpuSize(String type) {
    Matcher m = TPU_TYPE.matcher(type == null ? "" : type);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** The profile names of the research repository at {@code root}, sorted. */
  public static List<String> names(Path root) {
    try (Stream<Path> files = Files.list(root.resolve("launch"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The checks of one profile file; each failure names the file, the line, the key and the fix. */
  private record Checker(Path root, Path file) {
    void check(LaunchProfile p) {
      String target = p.targetOrDefault();
      require(TARGETS.contains(target), "target", "target `" + target + "` is not one this plugin can launch on"
          + DidYouMean.hint(target, TARGETS), "use one of " + String.join(", ", List.copyOf(new TreeSet<>(TARGETS))));
      matches(p.heap(), "\\d+[kKmMgG]?", "heap", "must look like 512m or 2g");
      matches(p.memory(), "\\d+[kKmMgGtT]?", "memory", "must look like 8G or 16000M");
      matches(p.timeLimit(), "(\\d+-)?\\d+(:\\d{1,2}){0,2}", "timeLimit",
          "must look like 30 (minutes), 02:00:00 or 1-12:00:00");
      positive(p.cpus(), "cpus");
      positive(p.parallel(), "parallel");
      if (p.devices() != null) {
        require(DEVICES.matcher(p.devices()).matches(), "devices", "devices `" + p.devices() + "` is not understood",
            "write cpu, gpu (one GPU) or gpu:N");
        require(!p.devices().equals("tpu") || target.equals("tpu-vm"), "devices",
            "`devices: tpu` needs `target: tpu-vm` (DJL has no TPU engine)", "use cpu or gpu:N here");
        require(!target.equals("tpu-vm") || p.devices().equals("tpu"), "devices",
            "a tpu-vm profile runs on the TPU's cores", "write `devices: tpu` or leave it out");
      }
      if (p.batch() != null) {
        positive(p.batch().perDevice(), "batch.perDevice");
        positive(p.batch().global(), "batch.global");
        require(p.batch().perDevice() == null || p.batch().global() == null, "batch",
            "give either `batch.perDevice` or `batch.global`, not both", "keep one; the other follows from the devices");
      }
      if (p.learningRate() != null) {
        String rule = p.learningRate().scaling();
        require(rule == null || SCALING.contains(rule), "learningRate.scaling", "scaling `" + rule
            + "` is not known" + DidYouMean.hint(String.valueOf(rule), SCALING), "write none, linear or sqrt");
        Integer warmup = p.learningRate().warmupEpochs();
        require(warmup == null || warmup >= 0, "learningRate.warmupEpochs", "must be 0 or more", "fix the number");
      }
      for (String variable : p.envOrEmpty().keySet()) {
        require(variable.matches("[A-Za-z_][A-Za-z0-9_]*"), "env", "`" + variable + "` is not a valid environment"
            + " variable name (letters, digits and _, not starting with a digit)", "fix the name under `env`");
      }
      section(p.slurm() != null, "slurm", target);
      section(p.kubernetes() != null, "kubernetes", target);
      section(p.tpu() != null, "tpu", target);
      if (p.slurm() != null) {
        LaunchProfile.Slurm s = p.slurm();
        matches(s.partition(), NAME, "slurm.partition", "must be a partition name (letters, digits, _ . -)");
        matches(s.account(), NAME, "slurm.account", "must be an account name (letters, digits, _ . -)");
        matches(s.qos(), NAME, "slurm.qos", "must be a QoS name (letters, digits, _ . -)");
        matches(s.gpuType(), NAME, "slurm.gpuType", "must be a GPU type name (letters, digits, _ . -)");
        matches(s.constraint(), "[A-Za-z0-9_.,:|&!*\\[\\]()-]+", "slurm.constraint",
            "must be a feature expression such as `a100|h100` (no spaces)");
        for (String option : s.options() == null ? List.<String>of() : s.options()) {
          require(option.matches("--?[A-Za-z][^\\p{Cntrl}]*") && !option.contains("--array")
              && !option.contains("--output") && !option.contains("--job-name"), "slurm.options",
              "`" + option + "` is not an sbatch option this profile may set",
              "one option per entry starting with -, on one line; --array, --output and --job-name are set by research:run");
        }
      }
      if (target.equals("kubernetes")) {
        LaunchProfile.Kubernetes k = p.kubernetes();
        require(k != null && k.image() != null && !k.image().isBlank(), "kubernetes", "a kubernetes profile needs "
            + "`kubernetes.image`", "add `kubernetes:` with `image: REGISTRY/IMAGE:TAG` (an image with Java 17 and the project)");
        matches(k.image(), "[^\\s\\p{Cntrl}]+", "kubernetes.image", "must be an image reference without spaces");
        matches(k.namespace(), DNS_LABEL, "kubernetes.namespace", "must be a DNS label (lower-case letters, digits, -)");
        matches(k.runsClaim(), DNS_LABEL + "(\\." + DNS_LABEL + ")*", "kubernetes.runsClaim",
            "must be the name of a PersistentVolumeClaim");
        matches(k.gpuResource(), "[a-z0-9.-]+/[a-z0-9._-]+", "kubernetes.gpuResource", "must look like nvidia.com/gpu");
        matches(k.serviceAccount(), DNS_LABEL + "(\\." + DNS_LABEL + ")*", "kubernetes.serviceAccount",
            "must be a service account name");
        matches(k.imagePullPolicy(), "Always|IfNotPresent|Never", "kubernetes.imagePullPolicy",
            "must be Always, IfNotPresent or Never");
        matches(k.workDir(), "/[^\\p{Cntrl}]*", "kubernetes.workDir", "must be an absolute path");
      }
      if (target.equals("tpu-vm")) {
        LaunchProfile.Tpu t = p.tpu();
        require(t != null && t.type() != null && t.zone() != null && t.runtimeVersion() != null
            && t.command() != null && !t.command().isEmpty(), "tpu", "a tpu-vm profile needs `tpu.type`, `tpu.zone`, "
            + "`tpu.runtimeVersion` and `tpu.command`", "add them under `tpu:` (see the comments of the generated "
            + "launch/tpu.yaml)");
        require(TPU_TYPE.matcher(t.type()).matches(), "tpu.type", "`" + t.type() + "` is not a TPU accelerator type",
            "write it as gcloud does, for example v4-8 or v5litepod-8");
        matches(t.zone(), "[a-z0-9-]+", "tpu.zone", "must be a zone such as us-central2-b");
        matches(t.runtimeVersion(), NAME, "tpu.runtimeVersion", "must be a TPU software version such as tpu-ubuntu2204-base");
        matches(t.project(), "[a-z0-9:.-]+", "tpu.project", "must be a cloud project id");
      }
    }

    private void section(boolean present, String key, String target) {
      String owner = key.equals("tpu") ? "tpu-vm" : key;
      require(!present || target.equals(owner), key, "`" + key + "` settings have no effect on a `" + target
          + "` profile", "set `target: " + owner + "`, or remove the `" + key + "` section");
    }

    private void positive(Integer n, String key) {
      require(n == null || n >= 1, key, "must be 1 or more, found " + n, "fix the number");
    }

    private void matches(String value, String regex, String key, String what) {
      require(value == null || value.matches(regex), key, "`" + key + "` " + what + ", found `" + value + "`",
          "fix the value");
    }

    private void require(boolean ok, String key, String problem, String fix) {
      if (!ok) {
        throw new ResearchException(YamlFiles.at(root, file, key) + ": " + problem + ". Fix: " + fix + ".");
      }
    }
  }
}
