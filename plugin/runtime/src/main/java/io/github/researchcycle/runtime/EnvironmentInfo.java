package io.github.researchcycle.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.researchcycle.core.run.RunService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the training process knows about where it runs: Java, OS, CPUs, heap, engine, devices. */
final class EnvironmentInfo {
  private EnvironmentInfo() {}

  /** The JVM and machine, without touching the engine. */
  static Map<String, Object> jvm() {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("host", RunService.hostName());
    env.put("java", System.getProperty("java.version"));
    env.put("javaVendor", System.getProperty("java.vendor"));
    env.put("javaVm", System.getProperty("java.vm.name"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    env.put("arch", System.getProperty("os.arch"));
    env.put("cpus", Runtime.getRuntime().availableProcessors());
    env.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    env.put("pid", ProcessHandle.current().pid());
    return env;
  }

  /** The engine's name, version and devices, added to {@code env}. */
  static void engine(Map<String, Object> env) {
    try {
      Engine engine = Engine.getInstance();
      env.put("engine", engine.getEngineName());
      env.put("engineVersion", engine.getVersion());
      env.put("djl", Engine.getDjlVersion());
      env.put("devices", Arrays.stream(engine.getDevices()).map(Device::toString).toList());
      env.put("gpus", engine.getGpuCount());
    } catch (RuntimeException | LinkageError e) {
      env.put("engineError", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The names of this machine's NVIDIA GPUs by index, from nvidia-smi; empty when it is absent. */
  static List<String> gpuNames() {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader")
          .redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroy();
        return List.of();
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }
}
