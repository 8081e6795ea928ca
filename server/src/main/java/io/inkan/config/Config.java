package io.inkan.config;

/**
 * The whole opendkim.conf, parsed and validated once; every field holds OpenDKIM's documented
 * default when its key is absent. Build one with {@link ConfigLoader#load}.
 */
public record Config(
    ServiceSettings service,
    LogSettings log,
    SigningSettings signing,
    HostSettings hosts,
    VerifySettings verifying,
    OnActions actions,
    DnsSettings dns,
    LimitSettings limits,
    DataSetSettings dataSets,
    AdminSettings admin,
    ClusterSettings cluster) {

  /** The configuration of an empty file. */
  public static Config defaults() {
    return new ConfigBuilder().build();
  }
}
