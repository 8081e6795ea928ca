/**
 * JCA crypto for DKIM: provider choice (ACCP, Bouncy Castle, JDK), key parsing, sign and verify.
 */
package io.inkan.dkim.crypto;
