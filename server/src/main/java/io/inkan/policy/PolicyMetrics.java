package io.inkan.policy;

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
}
