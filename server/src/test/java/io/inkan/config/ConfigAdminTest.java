package io.inkan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdminListen, AdminTokenFile, AdminTlsCertificate and AdminTlsKey. */
class ConfigAdminTest {
  @TempDir Path dir;
  ConfigFiles files;

  @BeforeEach
  void setUp() {
    files = new ConfigFiles(dir);
  }

  @Test
  void offByDefault() throws Exception {
    assertThat(files.config("Mode sv").admin()).isEqualTo(AdminSettings.OFF);
    assertThat(Config.defaults().admin().listen()).isEmpty();
  }

  @Test
  void listenAddresses() throws Exception {
    AdminSettings.Listen v4 = files.config("AdminListen 127.0.0.1:8025").admin().listen().get();
    assertThat(v4.host()).isEqualTo("127.0.0.1");
    assertThat(v4.port()).isEqualTo(8025);
    assertThat(v4.isLoopback()).isTrue();
    assertThat(v4.line()).isEqualTo(1);
    AdminSettings.Listen v6 = files.config("AdminListen [::1]:9000").admin().listen().get();
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.text()).isEqualTo("[::1]:9000");
    assertThat(v6.isLoopback()).isTrue();
    assertThat(files.config("AdminListen localhost:0").admin().listen().get().port()).isZero();
    assertThat(files.config("AdminListen 192.0.2.1:8025").admin().listen().get().isLoopback())
        .isFalse();
  }

  @Test
  void badListenAddresses() {
    String expected = "t.conf:1: AdminListen: " + AdminSettings.EXPECTED;
    assertThat(files.error("AdminListen 8025")).isEqualTo(expected + ", got 8025");
    assertThat(files.error("AdminListen 127.0.0.1")).isEqualTo(expected + ", got 127.0.0.1");
    assertThat(files.error("AdminListen :8025")).isEqualTo(expected + ", got :8025");
    assertThat(files.error("AdminListen 127.0.0.1:70000"))
        .isEqualTo(expected + ", got 127.0.0.1:70000");
    assertThat(files.error("AdminListen ::1:8025"))
        .isEqualTo(expected + " (an IPv6 address in brackets), got ::1:8025");
  }

  @Test
  void filesAndTls() throws Exception {
    AdminSettings a =
        files
            .config(
                "AdminListen 127.0.0.1:8025\nAdminTokenFile /etc/inkan/admin.token\n"
                    + "AdminTlsCertificate /etc/inkan/admin.crt\nAdminTlsKey /etc/inkan/admin.key")
            .admin();
    assertThat(a.tokenFile()).contains(Path.of("/etc/inkan/admin.token"));
    assertThat(a.tlsCertificate()).contains(Path.of("/etc/inkan/admin.crt"));
    assertThat(a.tlsKey()).contains(Path.of("/etc/inkan/admin.key"));
    a.check();
  }

  @Test
  void nonLoopbackNeedsAToken() throws Exception {
    AdminSettings open = files.config("Mode s\nAdminListen 0.0.0.0:8025").admin();
    assertThatThrownBy(open::check)
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith(
            "t.conf:2: AdminListen: a loopback address, or set AdminTokenFile so that only token"
                + " holders get in, got 0.0.0.0:8025");
    files.config("AdminListen 0.0.0.0:8025\nAdminTokenFile /t").admin().check();
    new AdminSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())
        .check();
  }

  @Test
  void tlsNeedsBothFiles() throws Exception {
    AdminSettings half = files.config("AdminListen 127.0.0.1:8025\nAdminTlsKey /k").admin();
    assertThatThrownBy(half::check)
        .hasMessageContaining("AdminTlsCertificate and AdminTlsKey together (HTTPS), or neither")
        .hasMessageContaining("with only AdminTlsKey");
  }
}
