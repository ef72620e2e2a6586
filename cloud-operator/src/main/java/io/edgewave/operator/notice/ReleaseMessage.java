package io.edgewave.operator.notice;

import io.edgewave.operator.api.v1alpha1.Notice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One message about one release: a batch of its events, with the words every text vendor shows. Each event keeps
 * its id ({@code <release uid>/<seq>}) so a receiver can drop a repeat: after a leader died between posting and
 * acknowledging, the events it claimed are sent again and {@code maybeRepeat} says so.
 *
 * @param release namespace/name
 */
public record ReleaseMessage(String release, String uid, List<Item> items, boolean maybeRepeat) {
  /** An event and its line of text; {@code command} is what to run about it (the approve command), or null. */
  public record Item(String id, NoticeKind kind, String at, String wave, String detail, String line, String command) {}

  public ReleaseMessage {
    items = List.copyOf(items);
  }

  /** The message for {@code batch} of the release {@code namespace/name}. */
  public static ReleaseMessage of(String namespace, String name, String uid, List<Notice> batch, boolean maybeRepeat) {
    List<Item> items = new ArrayList<>();
    for (Notice n : batch) {
      NoticeKind kind = NoticeKind.valueOf(n.getKind());
      String id = (uid == null ? namespace + "/" + name : uid) + "/" + n.getSeq();
      String command = kind == NoticeKind.AWAITING_APPROVAL ? approveCommand(namespace, name, n.getWave()) : null;
      items.add(new Item(id, kind, n.getAt(), n.getWave(), n.getDetail(), line(kind, n), command));
    }
    return new ReleaseMessage(namespace + "/" + name, uid, items, maybeRepeat);
  }

  /** The command that lets the waiting wave go, exactly as the CLI takes it. */
  public static String approveCommand(String namespace, String name, String wave) {
    return "kubectl edgewave approve " + name + (wave == null ? "" : " --wave " + wave) + " -n " + namespace;
  }

  static String line(NoticeKind kind, Notice n) {
    String head = switch (kind) {
      case WAVE_STARTED, WAVE_COMPLETED -> "wave " + (n.getWave() == null ? "" : n.getWave() + " ")
          + kind.words().substring("wave ".length());
      case AWAITING_APPROVAL -> "wave " + (n.getWave() == null ? "?" : n.getWave()) + " is waiting for approval";
      default -> kind.words();
    };
    return head + (n.getDetail() == null || n.getDetail().isBlank() ? "" : ": " + n.getDetail());
  }

  /** "edgewave: ns/name: wave canary completed, waiting for approval" (kinds in order, each once). */
  public String title() {
    Set<String> words = new LinkedHashSet<>();
    for (Item i : items) words.add(i.kind() == NoticeKind.AWAITING_APPROVAL ? "waiting for approval"
        : i.kind() == NoticeKind.WAVE_STARTED || i.kind() == NoticeKind.WAVE_COMPLETED
        ? "wave " + i.wave() + " " + i.kind().words().substring("wave ".length()) : i.kind().words());
    List<String> w = new ArrayList<>(words);
    String list = w.size() <= 4 ? String.join(", ", w)
        : String.join(", ", w.subList(0, 3)) + " and " + (w.size() - 3) + " more";
    return "edgewave: " + release + ": " + list;
  }

  /** One line per event, the command on its own line under it, {@code bullet} first. */
  public String lines(String bullet, String codeOpen, String codeClose) {
    StringBuilder b = new StringBuilder();
    for (Item i : items) {
      b.append(bullet).append(i.line()).append('\n');
      if (i.command() != null) b.append("  approve: ").append(codeOpen).append(i.command()).append(codeClose).append('\n');
    }
    return b.toString();
  }

  /** Event ids, so a receiver (or a person) can tell a repeat; says so when this message may be one. */
  public String footer() {
    String ids = items.isEmpty() ? "" : items.size() == 1 ? items.get(0).id()
        : items.get(0).id() + " .. " + items.get(items.size() - 1).id().substring(items.get(0).id().lastIndexOf('/') + 1);
    return "event " + ids + (maybeRepeat ? " (may repeat events already sent: the operator's leader changed while"
        + " sending)" : "");
  }

  public boolean needsAction() {
    return items.stream().anyMatch(i -> i.kind().needsAction());
  }
}
