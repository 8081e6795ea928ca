/** Test support: locating shared corpora and external tools, skipping or failing by CI rules. */
package io.inkan.testing;
