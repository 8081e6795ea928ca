/** Inkan's native LDAP key mode: a sender domain's key entries below a base, cached, pushed. */
package io.inkan.keys.ldap;
