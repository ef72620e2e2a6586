package io.edgewave.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * How both ends open a Paho session: a clean session without Paho's own reconnects (ours are jittered, see
 * {@link Backoff}), credentials, TLS that trusts exactly the broker's CA, and for the probe a retained last will.
 *
 * @param will the node whose retained "offline" status the broker publishes when the connection dies; null for none
 * @param caFile PEM file of the CA that signed the broker's certificate (ssl://); null for the JDK's public CAs
 */
public record MqttSession(String broker, String clientId, String username, String password, String caFile,
    Duration keepAlive, Duration connectTimeout, String will) {

  /** Why the text is not a broker URL we can use, or null when it is. */
  public static String brokerProblem(String url) {
    if (url == null || !url.matches("(tcp|ssl)://[^/\\s]+:[0-9]{1,5}")) {
      return "\"" + url + "\" must look like tcp://host:1883 or ssl://host:8883";
    }
    return null;
  }

  public MqttClient client() throws MqttException {
    return new MqttClient(broker, clientId, new MemoryPersistence());
  }

  public MqttConnectOptions options() {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setAutomaticReconnect(false);
    o.setKeepAliveInterval((int) Math.max(1, keepAlive.toSeconds()));
    o.setConnectionTimeout((int) Math.max(1, connectTimeout.toSeconds()));
    if (will != null) o.setWill(Topics.status(will), StatusMessage.WILL.bytes(), 1, true);
    if (username != null) o.setUserName(username);
    if (password != null) o.setPassword(password.toCharArray());
    if (caFile != null) o.setSocketFactory(trusting(Path.of(caFile)));
    return o;
  }

  /**
   * A socket factory that trusts exactly the CA in the file (the broker's, not the JDK's public CAs).
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static SSLSocketFactory trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, (X509Certificate) cert);
      }
      if (i == 0) throw new IllegalArgumentException(caFile + " holds no PEM certificate");
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(caFile + ": " + e.getMessage(), e);
    }
  }
}
