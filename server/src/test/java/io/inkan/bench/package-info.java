/**
 * JMH benchmarks of the DKIM engine, run on demand with {@code ops/bench/jmh.sh}, never by tests.
 */
package io.inkan.bench;
