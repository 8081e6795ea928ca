package io.inkan.policy;

import io.inkan.dataset.DataSetMetrics;
import java.util.List;

/**
 * Where every per-message outcome is counted: {@link MicrometerPolicyMetrics} in the daemon, {@link
 * #NONE} where nothing is counted.
 */
@FunctionalInterface
public interface PolicyMetrics {
  PolicyMetrics NONE = (mode, result, action) -> {};

  /**
   * One message outcome.
   *
   * @param mode {@code sign}, {@code verify} or {@code pass} (PeerList, no From)
   * @param result e.g. {@code signed}, {@code pass}, {@code fail}, {@code none}, {@code temperror},
   *     {@code keynotfound}, {@code internalerror}, {@code signatureerror}, {@code peer}
   * @param action the verdict sent: {@code continue}, {@code accept}, {@code tempfail}, ...
   */
  void count(String mode, String result, String action);

  /**
   * One DKIM-Signature made.
   *
   * @param domain its {@code d=}
   * @param nanos the time to finish it: header hashing and the private-key operation
   */
  default void signed(String domain, long nanos) {}

  /**
   * One message's signatures checked.
   *
   * @param domains the {@code d=} of each signature checked (empty when there was none)
   * @param nanos from the end of the message to the results, key-record lookups included
   */
  default void verified(List<String> domains, long nanos) {}

  /** Where the policy's data sets (KeyTable, SigningTable, ...) report their lookups. */
  default DataSetMetrics dataSets() {
    return DataSetMetrics.NONE;
  }
}
