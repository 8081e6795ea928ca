package io.inkan.dataset;

/** A remote data set that knows whether its server answered its last request (LDAP, SQL). */
public interface Reachable {

  /** False after a lookup failed for want of a server, true again once one answers. */
  boolean reachable();
}
