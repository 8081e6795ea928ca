/** Parses OpenDKIM's opendkim.conf format into immutable configuration records, once. */
package io.inkan.config;
