/** DNS query cache: one interface with in-process, Berkeley DB JE and memcached backends. */
package io.inkan.cache;
