package io.github.researchcycle.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Sgd;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The internal state of a trainer's DJL optimizer (moment estimates, momenta, update counts), saved
 * with every checkpoint and put back on resumption, so that a resumed run continues exactly.
 *
 * <p>DJL 0.33 keeps this state in private fields, keyed by parameter ids that are new in every
 * process; it is read by reflection, for exactly the optimizer classes of {@link #STATE_FIELDS} (a
 * subclass may keep state of its own), and stored by parameter name. Any other optimizer is named
 * in one line and in {@code environment.json}: a resumed run restarts its state.
 */
final class OptimizerState {
  /** The file next to the parameters that holds the optimizer's arrays. */
  static final String FILE = "optimizer.ndlist";
  /** The key in a checkpoint's {@code state.json} and in {@code environment.json}. */
  static final String KEY = "optimizer";

  /**
   * The fields of DJL 0.33.0 holding per-parameter arrays, by optimizer class: the optimizers that
   * train on the PyTorch engine. DJL 0.33 has no PyTorch update for Nag, RmsProp, Adagrad or Adadelta,
   * so the runtime offers none of them (Optimizers.NAMES).
   */
  static final Map<Class<? extends Optimizer>, List<String>> STATE_FIELDS = Map.of(
      Sgd.class, List.of("momentumStates"),
      Adam.class, List.of("means", "variances"),
      AdamW.class, List.of("means", "variances"));

  private final Optimizer optimizer;
  private final Map<String, Map<String, Map<Device, NDArray>>> states;
  private final Map<String, Integer> updateCounts;
  private final Field numUpdate;
  private final String inexact;

  private OptimizerState(Optimizer optimizer, Map<String, Map<String, Map<Device, NDArray>>> states,
      Map<String, Integer> updateCounts, Field numUpdate, String inexact) {
    this.optimizer = optimizer;
    this.states = states;
    this.updateCounts = updateCounts;
    this.numUpdate = numUpdate;
    this.inexact = inexact;
  }

  /** The state of {@code trainer}'s optimizer, or why it cannot be saved. */
  static OptimizerState of(Trainer trainer) {
    Object server;
    Optimizer optimizer;
    try {
      Object store = read(trainer, Trainer.class, "parameterStore");
      server = read(store, ParameterStore.class, "parameterServer");
      if (!(server instanceof LocalParameterServer)) {
        return inexact(null, "the engine's parameter server (" + (server == null ? "none" : server.getClass().getName())
            + ") keeps the optimizer out of reach");
      }
      optimizer = (Optimizer) read(server, LocalParameterServer.class, "optimizer");
    } catch (ReflectiveOperationException | RuntimeException e) {
      return inexact(null, "the trainer's optimizer is out of reach (" + e + "; the runtime expects DJL 0.33.0)");
    }
    if (optimizer == null) {
      return new OptimizerState(null, Map.of(), Map.of(), null, null);
    }
    String type = optimizer.getClass().getName();
    List<String> fields = STATE_FIELDS.get(optimizer.getClass());
    if (fields == null) {
      return inexact(optimizer, type + " is not an optimizer the runtime can checkpoint (it can: "
          + String.join(", ", STATE_FIELDS.keySet().stream().map(Class::getSimpleName).sorted().toList()) + ")");
    }
    try {
      Map<String, Map<String, Map<Device, NDArray>>> states = new LinkedHashMap<>();
      for (String field : fields) {
        states.put(field, cast(read(optimizer, optimizer.getClass(), field)));
      }
      Map<String, Integer> counts = cast(read(optimizer, Optimizer.class, "updateCounts"));
      Field num = Optimizer.class.getDeclaredField("numUpdate");
      num.setAccessible(true);
      return new OptimizerState(optimizer, states, counts, num, null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return inexact(optimizer, "the state of " + type + " is out of reach (" + e
          + "; the runtime expects DJL 0.33.0)");
    }
  }

  private static OptimizerState inexact(Optimizer optimizer, String why) {
    return new OptimizerState(optimizer, Map.of(), Map.of(), null, why);
  }

  private static Object read(Object target, Class<?> owner, String name) throws ReflectiveOperationException {
    Field f = owner.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  /** Whether a resumed run gets this optimizer's state back (true when there is no optimizer). */
  boolean exact() {
    return inexact == null;
  }

  /**
   * Records in {@code environment.json} which optimizer trains and whether a resumed run gets its
   * state back; when it does not, says so in one line.
   */
  void describe(Run run) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("type", optimizer == null ? null : optimizer.getClass().getName());
    described.put("resumeExact", exact());
    if (!exact()) {
      described.put("reason", inexact);
      System.out.println("Optimizer state not checkpointed: " + inexact + ". A resumed run restarts it, so it "
          + "is close to, but not bit-identical with, an uninterrupted one.");
    }
    run.describe(KEY, described);
  }

  /**
   * Writes the optimizer's arrays to {@link #FILE} in {@code dir}; returns what {@code state.json}
   * keeps of it (the update counts, and which array is which), or null when nothing can be saved.
   *
   * @param uncounted optimizer steps that the update counts do not include (see {@link Run#step})
   */
  Map<String, Object> save(Path dir, ParameterList parameters, long uncounted) throws IOException {
    if (optimizer == null || !exact()) {
      return null;
    }
    Map<String, String> names = new HashMap<>();
    for (Pair<String, Parameter> p : parameters) {
      names.put(p.getValue().getId(), p.getKey());
    }
    NDList arrays = new NDList();
    List<Map<String, Object>> index = new ArrayList<>();
    for (Entry<String, Map<String, Map<Device, NDArray>>> field : states.entrySet()) {
      checkKnown(field.getValue().keySet(), names, field.getKey());
      for (Pair<String, Parameter> p : parameters) {
        Map<Device, NDArray> perDevice = field.getValue().get(p.getValue().getId());
        if (perDevice == null) {
          continue;
        }
        List<Device> devices = perDevice.keySet().stream().sorted(Comparator.comparing(Device::toString)).toList();
        for (Device d : devices) {
          arrays.add(perDevice.get(d));
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("field", field.getKey());
          entry.put("parameter", p.getKey());
          entry.put("device", d.toString());
          index.add(entry);
        }
      }
    }
    checkKnown(updateCounts.keySet(), names, "updateCounts");
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : parameters) {
      Integer count = updateCounts.get(p.getValue().getId());
      if (count != null) {
        counts.put(p.getKey(), count);
      }
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("type", optimizer.getClass().getName());
    if (!arrays.isEmpty()) {
      // An empty NDList does not decode: SGD without momentum keeps its counts only.
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(FILE)))) {
        arrays.encode(out);
      }
      state.put("arrays", FILE);
    }
    state.put("states", index);
    state.put("numUpdate", readNumUpdate());
    state.put("updateCounts", counts);
    state.put("uncountedSteps", uncounted);
    return state;
  }

  private static void checkKnown(Iterable<String> ids, Map<String, String> names, String what) {
    for (String id : ids) {
      if (!names.containsKey(id)) {
        throw new IllegalStateException("The optimizer holds " + what + " for parameter " + id + ", which is not "
            + "one of the model's: one optimizer shared by two trainers cannot be checkpointed.");
      }
    }
  }

  private int readNumUpdate() {
    try {
      return numUpdate.getInt(optimizer);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Puts the state saved in checkpoint {@code dir} (described by {@code saved}, the
   * {@link #KEY} of its {@code state.json}) back into the optimizer, as arrays that the engine owns
   * on the trainer's devices. Returns the optimizer steps that its update counts do not include, or
   * -1 when the optimizer starts fresh (nothing saved, or another optimizer), saying so in one line.
   */
  long restore(Path dir, JsonNode saved, ParameterList parameters, NDManager manager, Device[] devices)
      throws IOException {
    if (optimizer == null) {
      return 0;
    }
    if (!exact()) {
      return -1; // describe() has said why.
    }
    String type = optimizer.getClass().getName();
    if (saved == null || saved.isMissingNode() || saved.isNull()) {
      System.out.println("Checkpoint " + dir.getFileName() + " holds no optimizer state (an older runtime wrote it): "
          + "the optimizer starts fresh, so the resumed run is close to, but not bit-identical with, an "
          + "uninterrupted one.");
      return -1;
    }
    if (!type.equals(saved.path("type").asText())) {
      System.out.println("Checkpoint " + dir.getFileName() + " holds the state of " + saved.path("type").asText()
          + ", this run trains with " + type + ": the optimizer starts fresh.");
      return -1;
    }
    Map<String, Parameter> byName = new HashMap<>();
    for (Pair<String, Parameter> p : parameters) {
      byName.put(p.getKey(), p.getValue());
    }
    JsonNode index = saved.path("states");
    if (index.size() > 0) {
      restoreArrays(dir, index, byName, manager, devices);
    }
    for (Iterator<Entry<String, JsonNode>> it = saved.path("updateCounts").fields(); it.hasNext(); ) {
      Entry<String, JsonNode> count = it.next();
      updateCounts.put(parameter(dir, byName, count.getKey()).getId(), count.getValue().asInt());
    }
    try {
      numUpdate.setInt(optimizer, saved.path("numUpdate").asInt());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    return saved.path("uncountedSteps").asLong();
  }

  private void restoreArrays(Path dir, JsonNode index, Map<String, Parameter> byName, NDManager manager,
      Device[] devices) throws IOException {
    String type = optimizer.getClass().getName();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(FILE)));
        NDList arrays = NDList.decode(manager, in)) {
      if (arrays.size() != index.size()) {
        throw new IOException("checkpoint " + dir + ": " + FILE + " holds " + arrays.size() + " arrays, "
            + "state.json names " + index.size());
      }
      for (int i = 0; i < arrays.size(); i++) {
        JsonNode entry = index.get(i);
        String field = entry.path("field").asText();
        Map<String, Map<Device, NDArray>> state = states.get(field);
        if (state == null) {
          throw new IOException("checkpoint " + dir + ": " + type + " has no state `" + field + "`");
        }
        Parameter parameter = parameter(dir, byName, entry.path("parameter").asText());
        NDArray array = arrays.get(i);
        if (!array.getShape().equals(parameter.getShape())) {
          throw new IOException("checkpoint " + dir + ": the " + field + " of " + entry.path("parameter").asText()
              + " has shape " + array.getShape() + ", the parameter's is " + parameter.getShape());
        }
        Device device = device(devices, entry.path("device").asText());
        Map<Device, NDArray> perDevice = state.computeIfAbsent(parameter.getId(), k -> new ConcurrentHashMap<>());
        if (perDevice.containsKey(device)) {
          continue; // another device's copy, moved here already: the copies are the same
        }
        perDevice.put(device, engineOwned(array, device));
      }
    }
  }

  private static Parameter parameter(Path dir, Map<String, Parameter> byName, String name) throws IOException {
    Parameter p = byName.get(name);
    if (p == null) {
      throw new IOException("checkpoint " + dir + ": optimizer state for parameter " + name + ", which the model "
          + "does not have: it does not fit this model");
    }
    return p;
  }

  /** The trainer's device the array was saved from, or its first one when that one is not used now. */
  private static Device device(Device[] devices, String saved) {
    for (Device d : devices) {
      if (d.toString().equals(saved)) {
        return d;
      }
    }
    return devices[0];
  }

  /**
   * A copy that the engine owns, on {@code device}: the decoded array lives in Java memory that is
   * freed once it is closed. Detached from every manager, as DJL's own optimizer states are, so that
   * it lives as long as the optimizer.
   */
  private static NDArray engineOwned(NDArray decoded, Device device) {
    NDArray copy = decoded.duplicate();
    if (!copy.getDevice().equals(device)) {
      NDArray moved = copy.toDevice(device, true);
      copy.close();
      copy = moved;
    }
    copy.detach();
    return copy;
  }
}
