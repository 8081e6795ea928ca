/** Tests that keep the layering of ARCHITECTURE.md true. */
package io.inkan.architecture;
