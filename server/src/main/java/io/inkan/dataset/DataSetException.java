package io.inkan.dataset;

/**
 * A data set that cannot be used: an unknown or not yet supported type, an unreadable file, or an
 * entry that does not parse. The message names the configuration file and line that declared the
 * data set and, where there is one, the data set file and line at fault, e.g. {@code
 * /etc/inkan.conf:12: data set "/etc/hosts.internal": /etc/hosts.internal:7: bad CIDR block}.
 */
public final class DataSetException extends Exception {
  private final Source declaredAt;
  private final Source entryAt;

  public DataSetException(Source declaredAt, Source entryAt, String spec, String reason) {
    super(message(declaredAt, entryAt, spec, reason), null, false, false);
    this.declaredAt = declaredAt;
    this.entryAt = entryAt;
  }

  private static String message(Source declaredAt, Source entryAt, String spec, String reason) {
    StringBuilder sb = new StringBuilder();
    sb.append(declaredAt).append(": data set \"").append(spec).append("\": ");
    if (entryAt != null) {
      sb.append(entryAt).append(": ");
    }
    return sb.append(reason).toString();
  }

  /** Where the data set was declared (configuration file and line). */
  public Source declaredAt() {
    return declaredAt;
  }

  /** The data set file and line at fault, or {@code null} when the fault is not in one line. */
  public Source entryAt() {
    return entryAt;
  }
}
