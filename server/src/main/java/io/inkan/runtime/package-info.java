/** The Vert.x edge: the milter listener that moves buffers between sockets and milter sessions. */
package io.inkan.runtime;
