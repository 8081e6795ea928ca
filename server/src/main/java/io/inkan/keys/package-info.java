/** New DKIM key pairs and their DNS key records, for {@code inkan genkey}. */
package io.inkan.keys;
