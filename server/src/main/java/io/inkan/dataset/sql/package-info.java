/** OpenDKIM's {@code dsn:} data sets over JDBC (opendkim(8), DATA SETS d). */
package io.inkan.dataset.sql;
