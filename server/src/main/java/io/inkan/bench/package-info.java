/** {@code inkan bench}: an MTA-side milter load client that measures a running filter. */
package io.inkan.bench;
