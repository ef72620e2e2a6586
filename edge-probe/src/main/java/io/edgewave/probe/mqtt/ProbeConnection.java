package io.edgewave.probe.mqtt;

import io.edgewave.probe.config.ProbeConfig;
import io.edgewave.probe.heartbeat.StatusMessage;
import io.edgewave.probe.heartbeat.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Builds the Paho client and its options: clean session, retained last will "offline", TLS and credentials. */
public final class ProbeConnection {
  private ProbeConnection() {}

  static MqttClient client(ProbeConfig c) throws MqttException {
    return new MqttClient(c.broker(), c.clientId(), new MemoryPersistence());
  }

  static MqttConnectOptions options(ProbeConfig c) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    // Reconnects are ours (jittered); Paho's own backoff has no jitter.
    o.setAutomaticReconnect(false);
    o.setKeepAliveInterval((int) Math.max(1, c.keepAlive().toSeconds()));
    o.setConnectionTimeout((int) Math.max(1, c.connectTimeout().toSeconds()));
    o.setWill(Topics.status(c.node()), StatusMessage.WILL.bytes(), 1, true);
    if (c.username() != null) o.setUserName(c.username());
    if (c.password() != null) o.setPassword(c.password().toCharArray());
    if (c.caFile() != null) o.setSocketFactory(trusting(Path.of(c.caFile())));
    return o;
  }

  /** A socket factory that trusts exactly the CA in the file (the broker's, not the JDK's public CAs). */
  public static SSLSocketFactory trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, (X509Certificate) cert);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new ProbeConfig.Invalid("--ca-file " + caFile + ": " + e.getMessage());
    }
  }
}
