package io.inkan.policy;

import io.inkan.config.DataSetRef;
import io.inkan.dataset.DataSetOptions;
import io.inkan.keys.DomainKeySource;
import io.inkan.keys.PrivateKeyFiles;

/** Opens the key directory {@code SigningDirectory} names (LDAP URLs of a key tree). */
final class DirectorySources {
  private DirectorySources() {}

  static DomainKeySource open(DataSetRef ref, DataSetOptions options, PrivateKeyFiles files)
      throws PolicyException {
    throw new PolicyException(
        ref.file() + ":" + ref.line() + ": SigningDirectory: not available yet");
  }
}
