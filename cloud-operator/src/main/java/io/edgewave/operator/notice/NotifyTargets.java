package io.edgewave.operator.notice;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a release's notifications go: the annotation {@value #ANNOTATION} ({@code namespace/secret[,...]}, or
 * {@code none}) when the release has it, else the operator's {@code --notify-webhooks}. A bad entry is a problem
 * (said in a Warning Event naming the annotation and the fix) and drops only itself: the other destinations still
 * hear everything.
 *
 * @param destinations webhook Secrets as namespace/name, in the order written, without repeats
 * @param problems     one sentence per bad entry
 */
public record NotifyTargets(List<String> destinations, List<String> problems) {
  public static final String ANNOTATION = "edgewave.io/notify";
  static final String NAME = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  static final String SECRET = "[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?";

  public NotifyTargets {
    destinations = List.copyOf(destinations);
    problems = List.copyOf(problems);
  }

  /** @param annotation the release's annotation, null when it has none; {@code defaults} as namespace/name */
  public static NotifyTargets of(String annotation, List<String> defaults) {
    if (annotation == null) return new NotifyTargets(defaults, List.of());
    if (annotation.strip().equals("none")) return new NotifyTargets(List.of(), List.of());
    Set<String> out = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    for (String part : annotation.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) continue;
      if (!p.matches(NAME + "/" + SECRET)) {
        problems.add(ANNOTATION + ": \"" + p + "\" is not namespace/secret; write e.g. logistics/ops-dingtalk"
            + " (a Secret with keys url, format and, for a signing robot, secret), or none");
      } else if (out.size() == io.edgewave.operator.api.v1alpha1.Notices.MAX_DESTINATIONS) {
        problems.add(ANNOTATION + ": \"" + p + "\" is one destination too many; at most "
            + io.edgewave.operator.api.v1alpha1.Notices.MAX_DESTINATIONS + " are served");
      } else {
        out.add(p);
      }
    }
    if (out.isEmpty() && problems.isEmpty()) {
      problems.add(ANNOTATION + " is empty; name webhook Secrets as namespace/secret, or write none");
    }
    // an annotation with nothing usable loses nothing: the operator's defaults still hear the release
    if (out.isEmpty()) return new NotifyTargets(defaults, problems);
    return new NotifyTargets(new ArrayList<>(out), problems);
  }

  /** Whether events of a release with this annotation are recorded at all. */
  public static boolean notifying(String annotation, List<String> defaults) {
    return !of(annotation, defaults).destinations().isEmpty();
  }
}
