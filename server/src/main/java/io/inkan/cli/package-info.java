/** The {@code inkan} command line (picocli): sign, verify, genkey and the daemon commands. */
package io.inkan.cli;
