/**
 * Integration tests against a real Postfix, started privately by the test, using Inkan as milter.
 */
package io.inkan.postfix;
