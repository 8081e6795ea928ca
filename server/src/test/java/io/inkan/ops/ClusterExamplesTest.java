package io.inkan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.config.ClusterSettings;
import io.inkan.config.Config;
import io.inkan.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/**
 * The ISP example's split roles load as they are: the front-end has a milter socket and no key
 * source, the signer has the key tree and no socket, and both name the same members and cluster.
 */
class ClusterExamplesTest {

  @Test
  void frontEndAndSignerConfigurationsLoadAndAgree() throws Exception {
    Config fe =
        ConfigLoader.load(ExampleDeployment.exampleDir("isp").resolve("cluster/frontend.conf"))
            .config();
    Config signer =
        ConfigLoader.load(ExampleDeployment.exampleDir("isp").resolve("cluster/signer.conf"))
            .config();
    fe.cluster().check();
    signer.cluster().check();
    assertThat(fe.cluster().roles()).containsExactly(ClusterSettings.Role.FRONTEND);
    assertThat(signer.cluster().roles()).containsExactly(ClusterSettings.Role.SIGNER);
    assertThat(fe.service().socket()).isPresent();
    assertThat(signer.service().socket()).isEmpty();
    assertThat(fe.signing().keyTable()).isEmpty();
    assertThat(fe.signing().signingDirectory()).isEmpty();
    assertThat(fe.dataSets().ldapBindPassword()).isEmpty();
    assertThat(signer.signing().signingDirectory()).isPresent();
    assertThat(fe.cluster().members()).isEqualTo(signer.cluster().members());
    assertThat(fe.cluster().name()).isEqualTo(signer.cluster().name());
    assertThat(fe.cluster().members()).contains(fe.cluster().listen().orElseThrow());
    assertThat(signer.cluster().members()).contains(signer.cluster().listen().orElseThrow());
  }
}
