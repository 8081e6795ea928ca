package io.inkan.config;

import java.util.Optional;

/**
 * Who is inside: {@code InternalHosts} (OpenDKIM's default {@code csl:127.0.0.1,::1}), {@code
 * ExternalIgnoreList}, {@code PeerList}, {@code MacroList}, {@code MTA}.
 */
public record HostSettings(
    DataSetRef internalHosts,
    Optional<DataSetRef> externalIgnoreList,
    Optional<DataSetRef> peerList,
    Optional<DataSetRef> macroList,
    Optional<DataSetRef> mta) {

  /** OpenDKIM's {@code DEFINTERNAL}. */
  public static final DataSetRef DEFAULT_INTERNAL_HOSTS =
      new DataSetRef("csl:127.0.0.1,::1", "(default)", 0);
}
