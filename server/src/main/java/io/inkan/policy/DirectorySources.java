package io.inkan.policy;

import io.inkan.config.DataSetRef;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.Source;
import io.inkan.keys.DomainKeySource;
import io.inkan.keys.PrivateKeyFiles;
import io.inkan.keys.ldap.LdapKeySource;

/** Opens the key directory {@code SigningDirectory} names (LDAP URLs of a key tree). */
final class DirectorySources {
  private DirectorySources() {}

  static DomainKeySource open(DataSetRef ref, DataSetOptions options, PrivateKeyFiles files)
      throws PolicyException {
    try {
      return LdapKeySource.builder(ref.spec(), new Source(ref.file(), ref.line()), options)
          .keyFiles(files)
          .open();
    } catch (DataSetException e) {
      throw new PolicyException(e.getMessage(), e);
    }
  }
}
