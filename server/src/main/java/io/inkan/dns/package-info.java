/** DKIM key-record lookups: DNS through dnsjava, and test-key files standing in for DNS. */
package io.inkan.dns;
