/** OpenDKIM's {@code db:} data sets, kept in Berkeley DB Java Edition environments. */
package io.inkan.dataset.je;
