package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.WaveRoster;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Keeps each release's {@link WaveRoster} in a ConfigMap it owns ({@code <release>.edgewave-roster}), gzipped:
 * 10,000 node names take about 40 KB. It is written once per wave start, before any node of that wave is moved,
 * and updated with the resourceVersion it was read at, so a deposed leader's late write is refused. Reads come from
 * memory after the first (only the leader writes it); a new leader reads it from the API once.
 */
final class RosterStore {
  static final String SUFFIX = ".edgewave-roster";
  private static final String KEY = "roster.gz";

  private record Entry(String resourceVersion, WaveRoster roster) {}

  private final KubernetesClient client;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  RosterStore(KubernetesClient client) {
    this.client = client;
  }

  static String name(EdgeRelease er) {
    return er.getMetadata().getName() + SUFFIX;
  }

  /** The recorded roster, or null when none was written. */
  WaveRoster read(EdgeRelease er) {
    Entry e = cache.computeIfAbsent(key(er), k -> fetch(er));
    return e.roster();
  }

  /** @throws KubernetesClientException on a conflict (409): someone else wrote it; the cache is dropped */
  void write(EdgeRelease er, WaveRoster roster) {
    Entry known = cache.computeIfAbsent(key(er), k -> fetch(er));
    ConfigMap cm = new ConfigMapBuilder()
        .withNewMetadata()
          .withName(name(er))
          .withNamespace(er.getMetadata().getNamespace())
          .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.RELEASE, er.getMetadata().getName()))
          .withOwnerReferences(NodeDeployments.owner(er))
          .withResourceVersion(known.resourceVersion())
        .endMetadata()
        .withBinaryData(Map.of(KEY, Base64.getEncoder().encodeToString(encode(roster))))
        .build();
    try {
      var op = client.configMaps().inNamespace(er.getMetadata().getNamespace()).resource(cm);
      ConfigMap written = known.resourceVersion() == null ? op.create() : op.update();
      cache.put(key(er), new Entry(written.getMetadata().getResourceVersion(), roster));
    } catch (KubernetesClientException e) {
      cache.remove(key(er));
      throw e;
    }
  }

  /** A release that is gone, or a leadership that is lost, must read again. */
  void forget(EdgeRelease er) {
    cache.remove(key(er));
  }

  private Entry fetch(EdgeRelease er) {
    ConfigMap cm = client.configMaps().inNamespace(er.getMetadata().getNamespace()).withName(name(er)).get();
    if (cm == null) return new Entry(null, null);
    String data = cm.getBinaryData() == null ? null : cm.getBinaryData().get(KEY);
    return new Entry(cm.getMetadata().getResourceVersion(), data == null ? null : decode(Base64.getDecoder().decode(data)));
  }

  private static String key(EdgeRelease er) {
    return er.getMetadata().getNamespace() + "/" + er.getMetadata().getName() + "/" + er.getMetadata().getUid();
  }

  /** First line the attempt, then one "wave TAB node" line per member, in wave order. */
  static byte[] encode(WaveRoster roster) {
    StringBuilder text = new StringBuilder(roster.attempt()).append('\n');
    roster.waves().forEach((wave, nodes) -> {
      if (nodes.isEmpty()) text.append(wave).append('\t').append('\n');
      for (String n : nodes) text.append(wave).append('\t').append(n).append('\n');
    });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static WaveRoster decode(byte[] bytes) {
    String text;
    try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      text = new String(gz.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null; // unreadable: planned afresh and written again at the next wave start
    }
    String[] lines = text.split("\n");
    Map<String, List<String>> waves = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int tab = lines[i].indexOf('\t');
      if (tab < 0) continue;
      List<String> members = waves.computeIfAbsent(lines[i].substring(0, tab), k -> new ArrayList<>());
      if (tab + 1 < lines[i].length()) members.add(lines[i].substring(tab + 1));
    }
    return new WaveRoster(lines[0], waves);
  }
}
