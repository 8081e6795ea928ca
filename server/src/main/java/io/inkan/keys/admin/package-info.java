/**
 * Key administration for LDAP operators: {@code inkan keys} add, list, enable, rotate (RFC 2136).
 */
package io.inkan.keys.admin;
