/** OpenDKIM's data sets ({@code file:}, {@code refile:}, {@code csl:}) and host lists over them. */
package io.inkan.dataset;
