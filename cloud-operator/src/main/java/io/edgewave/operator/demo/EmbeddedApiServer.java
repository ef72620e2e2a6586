package io.edgewave.operator.demo;

import io.edgewave.operator.api.CrdYaml;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode on loopback, with the EdgeRelease CRD installed: a real HTTP server with
 * watches, good enough to run the real operator; not a full API server (no schema validation, no controllers).
 */
public final class EmbeddedApiServer implements AutoCloseable {
  // held so the JUL configuration is not garbage-collected with the logger
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  public EmbeddedApiServer() {
    this(CrdYaml.generate());
  }

  /**
   * @param crdYaml the EdgeRelease CRD to install, e.g. the committed file in tests; status writes are fenced by
   *     their resourceVersion as on a real cluster ({@link VersionCheckingCrud})
   */
  public EmbeddedApiServer(String crdYaml) {
    this(crdYaml, new VersionCheckingCrud());
  }

  /** @param dispatcher the CRUD store, or a subclass of it that injects faults (the reliability tests) */
  public EmbeddedApiServer(String crdYaml, KubernetesCrudDispatcher dispatcher) {
    MOCK_LOG.setLevel(Level.WARNING);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    client.apiextensions().v1().customResourceDefinitions().resource(CrdYaml.load(crdYaml)).create();
  }

  public KubernetesClient client() { return client; }

  public String url() { return client.getMasterUrl().toString(); }

  public void createNamespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  /** Close everything that watches this server first (operator, informers), or shutting it down can time out. */
  @Override
  public void close() {
    client.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // the mock server gives up waiting for lingering connections after a timeout; it is stopped all the same
      java.util.logging.Logger.getLogger(EmbeddedApiServer.class.getName()).warning("mock API server: " + e.getMessage());
    }
  }
}
