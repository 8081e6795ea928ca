/** OpenDKIM's {@code ldap:} and {@code ldaps:} data sets over pooled, failover LDAP connections. */
package io.inkan.dataset.ldap;
