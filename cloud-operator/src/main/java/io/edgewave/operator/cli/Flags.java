package io.edgewave.operator.cli;

import io.edgewave.protocol.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** "--name value" and "--name=value" flags; an unknown flag or bad value is an error naming the flag and the fix. */
final class Flags {
  private final Map<String, String> values = new HashMap<>();

  Flags(String[] args, int from, Set<String> known) {
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) throw new UsageException("unexpected argument \"" + a + "\"; flags look like --name value");
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        value = "true";
      }
      if (!known.contains(name)) {
        throw new UsageException("unknown flag --" + name + (known.isEmpty() ? "; this command takes no flags"
            : "; known flags: --" + String.join(", --", known.stream().sorted().toList())));
      }
      values.put(name, value);
    }
  }

  String string(String name, String dflt) {
    return values.getOrDefault(name, dflt);
  }

  int integer(String name, int dflt, int min, int max) {
    String v = values.get(name);
    if (v == null) return dflt;
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " \"" + v + "\" must be a whole number from " + min + " to " + max);
    }
  }

  double decimal(String name, double dflt, double min, double max) {
    String v = values.get(name);
    if (v == null) return dflt;
    try {
      double d = Double.parseDouble(v);
      if (!(d >= min && d <= max)) throw new NumberFormatException();
      return d;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " \"" + v + "\" must be a number from " + min + " to " + max);
    }
  }

  Duration duration(String name, Duration dflt) {
    String v = values.get(name);
    if (v == null) return dflt;
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + name + ": " + e.getMessage());
    }
  }

  boolean bool(String name) {
    String v = values.get(name);
    if (v == null) return false;
    if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
    throw new UsageException("--" + name + " \"" + v + "\" must be true or false");
  }

  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
