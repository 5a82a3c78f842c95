package io.github.researchcycle.core.launch;

/**
 * A profile's {@code timeLimit} in seconds. The forms are Slurm's: {@code MM}, {@code MM:SS},
 * {@code HH:MM:SS}, {@code D-HH}, {@code D-HH:MM} and {@code D-HH:MM:SS}.
 */
public final class TimeLimits {
  private TimeLimits() {}

  /** The seconds of {@code limit} (already checked by {@link LaunchProfiles}), or null when unset. */
  public static Long seconds(String limit) {
    if (limit == null || limit.isBlank()) {
      return null;
    }
    long days = 0;
    String rest = limit.trim();
    int dash = rest.indexOf('-');
    if (dash >= 0) {
      days = Long.parseLong(rest.substring(0, dash));
      rest = rest.substring(dash + 1);
    }
    String[] parts = rest.split(":");
    long[] n = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      n[i] = Long.parseLong(parts[i]);
    }
    long seconds;
    if (dash >= 0) {
      // D-HH, D-HH:MM, D-HH:MM:SS
      seconds = n[0] * 3600 + (n.length > 1 ? n[1] * 60 : 0) + (n.length > 2 ? n[2] : 0);
    } else if (n.length == 1) {
      seconds = n[0] * 60;
    } else if (n.length == 2) {
      seconds = n[0] * 60 + n[1];
    } else {
      seconds = n[0] * 3600 + n[1] * 60 + n[2];
    }
    return days * 86400 + seconds;
  }
}
