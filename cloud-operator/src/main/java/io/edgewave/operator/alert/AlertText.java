package io.edgewave.operator.alert;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The words of a batch, shared by the vendors that show text: a one-line title and one bullet per alert. */
final class AlertText {
  /** A page with more lines than this is read as "many", not line by line; the rest is counted. */
  static final int MAX_LINES = 50;

  private AlertText() {}

  static String title(List<Alert> batch) {
    long lost = batch.stream().filter(a -> a.kind() == Alert.Kind.LOST).count();
    long offline = batch.stream().filter(a -> a.kind() == Alert.Kind.OFFLINE).count();
    long back = batch.stream().filter(a -> a.kind() == Alert.Kind.BACK_ONLINE).count();
    long sitesDown = batch.stream().filter(a -> a.kind() == Alert.Kind.SITE_UNREACHABLE).count();
    long sitesBack = batch.stream().filter(a -> a.kind() == Alert.Kind.SITE_BACK).count();
    StringBuilder sb = new StringBuilder("edgewave: ");
    if (sitesDown > 0) sb.append(sitesDown).append(sitesDown == 1 ? " site unreachable" : " sites unreachable");
    if (sitesBack > 0) sb.append(sitesDown > 0 ? ", " : "").append(sitesBack).append(" site").append(sitesBack == 1 ? "" : "s").append(" back");
    if (sitesDown + sitesBack > 0 && batch.size() > sitesDown + sitesBack) sb.append(", ");
    if (lost > 0) sb.append(lost).append(lost == 1 ? " node lost" : " nodes lost");
    if (offline > 0) sb.append(lost > 0 ? ", " : "").append(offline).append(" offline");
    if (back > 0) sb.append(lost + offline > 0 ? ", " : "").append(back).append(" back online");
    return sb.toString();
  }

  /**
   * One {@code bullet}-prefixed line per alert, at most {@link #MAX_LINES} of them and at most {@code maxBytes}
   * of UTF-8 (some robots refuse a longer message outright, which would lose the whole page); what does not fit
   * is counted in a last "... and N more" line, for which room is always kept.
   */
  static String bullets(List<Alert> batch, String bullet, int maxBytes) {
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < batch.size(); i++) {
      String line = bullet + batch.get(i).line() + "\n";
      int rest = batch.size() - i;
      int after = i == batch.size() - 1 ? 0 : utf8(more(bullet, rest - 1));
      if (i == MAX_LINES || bytes + utf8(line) + after > maxBytes) {
        out.append(more(bullet, rest));
        break;
      }
      out.append(line);
      bytes += utf8(line);
    }
    return out.toString();
  }

  static String bullets(List<Alert> batch, String bullet) {
    return bullets(batch, bullet, Integer.MAX_VALUE);
  }

  private static String more(String bullet, int n) {
    return bullet + "... and " + n + " more\n";
  }

  static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
