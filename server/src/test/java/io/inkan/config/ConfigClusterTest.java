package io.inkan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.config.ClusterSettings.HostPort;
import io.inkan.config.ClusterSettings.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigClusterTest {
  @TempDir Path dir;
  ConfigFiles files;

  @BeforeEach
  void setUp() {
    files = new ConfigFiles(dir);
  }

  @Test
  void offUnlessARoleIsGiven() throws Exception {
    ClusterSettings c = files.config("Mode sv").cluster();
    assertThat(c).isEqualTo(ClusterSettings.OFF);
    assertThat(c.enabled()).isFalse();
    c.check();
  }

  @Test
  void aFullFrontEnd() throws Exception {
    ClusterSettings c =
        files
            .config(
                "ClusterRole frontend\nClusterName isp-east\nClusterListen 10.0.0.5\n"
                    + "ClusterMembers 10.0.0.5, 10.0.0.6:5702 [fd00::7]:5701\n"
                    + "ClusterEventBus 10.0.0.5:15701\n"
                    + "ClusterCertificate /etc/inkan/node.crt\nClusterKey /etc/inkan/node.key\n"
                    + "ClusterCAFile /etc/inkan/cluster-ca.crt\nClusterSignTimeout 500\n"
                    + "ClusterSignAttempts 4\nClusterKeyCacheTTL 60")
            .cluster();
    assertThat(c.roles()).containsExactly(Role.FRONTEND);
    assertThat(c.frontEnd()).isTrue();
    assertThat(c.signer()).isFalse();
    assertThat(c.name()).isEqualTo("isp-east");
    assertThat(c.listen()).contains(new HostPort("10.0.0.5", 5701));
    assertThat(c.members())
        .isEqualTo(
            List.of(
                new HostPort("10.0.0.5", 5701),
                new HostPort("10.0.0.6", 5702),
                new HostPort("fd00::7", 5701)));
    assertThat(c.eventBus()).contains(new HostPort("10.0.0.5", 15701));
    assertThat(c.caFile()).contains(Path.of("/etc/inkan/cluster-ca.crt"));
    assertThat(c.signTimeoutMillis()).isEqualTo(500);
    assertThat(c.signAttempts()).isEqualTo(4);
    assertThat(c.keyCacheTtlSeconds()).isEqualTo(60);
    c.check();
  }

  @Test
  void rolesCombine() throws Exception {
    assertThat(files.config("ClusterRole frontend,signer").cluster().roles())
        .isEqualTo(Set.of(Role.FRONTEND, Role.SIGNER));
    assertThat(files.config("ClusterRole signer").cluster().roles()).containsExactly(Role.SIGNER);
  }

  @Test
  void badValuesNameFileLineAndKey() {
    assertThat(files.error("ClusterRole master"))
        .isEqualTo("t.conf:1: ClusterRole: frontend, signer or frontend,signer, got master");
    assertThat(files.error("ClusterListen 10.0.0.5:99999"))
        .startsWith("t.conf:1: ClusterListen: HOST:PORT with PORT 0-65535");
    assertThat(files.error("ClusterMembers fd00::7")).startsWith("t.conf:1: ClusterMembers: ");
    assertThat(files.error("ClusterSignAttempts 0")).startsWith("t.conf:1: ClusterSignAttempts: ");
    assertThat(files.error("ClusterName a/b")).startsWith("t.conf:1: ClusterName: ");
  }

  @Test
  void aRoleNeedsAddressMembersAndTlsFiles() throws Exception {
    ClusterSettings c =
        files
            .config("Mode s\nClusterRole signer\nClusterListen 127.0.0.1\nClusterMembers 127.0.0.1")
            .cluster();
    assertThatThrownBy(c::check)
        .hasMessageEndingWith(
            "t.conf:2: ClusterRole: ClusterListen, ClusterMembers, ClusterCertificate, ClusterKey"
                + " and ClusterCAFile with it, got signer without ClusterCertificate");
  }
}
