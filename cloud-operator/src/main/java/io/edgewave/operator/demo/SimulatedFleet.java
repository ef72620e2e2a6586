package io.edgewave.operator.demo;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creates the Node objects of a simulated fleet: transit-center nodes over named sites plus GPU camera boxes. */
public final class SimulatedFleet {
  public static final String SITE_LABEL = "edgewave.io/site";
  /** The site's uplink in Mbit/s, on each of its nodes (an integer). */
  public static final String UPLINK_LABEL = "edgewave.io/uplink-mbps";
  public static final List<String> CITIES = List.of("hangzhou", "shanghai", "beijing", "shenzhen", "guangzhou",
      "chengdu", "wuhan", "xian", "nanjing", "tianjin", "chongqing", "suzhou", "qingdao", "zhengzhou", "changsha");

  private SimulatedFleet() {}

  /** Site i: city i mod 15 with a number; every fourth site is a hub. */
  public static String site(int i) {
    return String.format("%s-%02d", CITIES.get(i % CITIES.size()), 1 + i / CITIES.size());
  }

  public static List<Node> nodes(int centers, int gpuBoxes, int sites) {
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < centers; i++) {
      int s = i % sites;
      out.add(node(String.format("tc-%s-%03d", site(s), i / sites + 1), "transit-center", s));
    }
    for (int i = 0; i < gpuBoxes; i++) {
      int s = i % sites;
      out.add(node(String.format("gpu-%s-%03d", site(s), i / sites + 1), "gpu-box", s));
    }
    return out;
  }

  /** The same nodes, each labelled with its site's uplink. */
  public static List<Node> withUplink(List<Node> nodes, int mbps) {
    for (Node n : nodes) n.getMetadata().getLabels().put(UPLINK_LABEL, String.valueOf(mbps));
    return nodes;
  }

  private static Node node(String name, String cls, int site) {
    Map<String, String> labels = new HashMap<>();
    labels.put("node-role.kubernetes.io/edge", "");
    labels.put("kubernetes.io/hostname", name);
    labels.put("edgewave.io/class", cls);
    labels.put(SITE_LABEL, site(site));
    labels.put("edgewave.io/site-type", site % 4 == 0 ? "hub" : "spoke");
    labels.put("edgewave.io/timezone", "Asia.Shanghai");
    if (cls.equals("gpu-box")) labels.put("nvidia.com/gpu.present", "true");
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().withConditions(ready(true)).endStatus().build();
  }

  public static NodeCondition ready(boolean ready) {
    return new NodeConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
        .withReason(ready ? "EdgeReady" : "EdgeNotReady").build();
  }

  /** Creates the Nodes over a few connections at once: 10,000 one after another take 90 s on the mock server. */
  public static void create(KubernetesClient client, List<Node> nodes) {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (Node n : nodes) done.add(pool.submit(() -> client.nodes().resource(n).create()));
      for (var f : done) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("creating simulated nodes: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Marks a node Ready or NotReady, as the node lifecycle controller does when edgecore disconnects. */
  public static void setReady(KubernetesClient client, String node, boolean ready) {
    client.nodes().withName(node).edit(n -> {
      n.getStatus().setConditions(new ArrayList<>(List.of(ready(ready))));
      return n;
    });
  }
}
