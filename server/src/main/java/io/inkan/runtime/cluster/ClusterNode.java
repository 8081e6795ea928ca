package io.inkan.runtime.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.inkan.config.ClusterSettings;
import io.inkan.config.ClusterSettings.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Starts a clustered Vert.x: Hazelcast membership by a static member list on one interface (no
 * multicast, no auto-detection, no phone-home), and an event bus served and used only over mutual
 * TLS with the cluster's CA. Hazelcast's open-source membership has no authentication, so the event
 * bus's TLS is the boundary: a process without a certificate from the CA may join the membership
 * but can neither send to nor receive from any node's event bus.
 */
public final class ClusterNode {
  private ClusterNode() {}

  /** A clustered Vert.x for these settings; fails when the membership cannot be formed. */
  public static Future<Vertx> start(ClusterSettings s) {
    try {
      HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(s));
      VertxOptions options = new VertxOptions().setEventBusOptions(eventBus(s));
      return Vertx.builder().with(options).withClusterManager(manager).buildClustered();
    } catch (UnknownHostException e) {
      return Future.failedFuture(
          new IllegalArgumentException("ClusterListen: unknown host " + e.getMessage(), e));
    }
  }

  static Config hazelcast(ClusterSettings s) throws UnknownHostException {
    HostPort listen = s.listen().orElseThrow();
    Config hz = ConfigUtil.loadConfig(); // Vert.x's own maps and multimaps
    hz.setClusterName(s.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    // A killed member is noticed in seconds, not the default minute.
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(listen.port()).setPortAutoIncrement(false);
    // Bound to this address only (an interface list would match only addresses assigned to an
    // interface, and 127.0.0.2 on lo is not).
    hz.setProperty("hazelcast.local.localAddress", ip(listen.host()));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (HostPort m : s.members()) {
      join.getTcpIpConfig().addMember(m.text());
    }
    return hz;
  }

  static EventBusOptions eventBus(ClusterSettings s) {
    HostPort at = s.eventBus().orElse(new HostPort(s.listen().orElseThrow().host(), 0));
    return new EventBusOptions()
        .setHost(at.host())
        .setPort(at.port())
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(s.certificate().orElseThrow().toString())
                .setKeyPath(s.key().orElseThrow().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(s.caFile().orElseThrow().toString()));
  }

  private static String ip(String host) throws UnknownHostException {
    return InetAddress.getByName(host).getHostAddress();
  }
}
