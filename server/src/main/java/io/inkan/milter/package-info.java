/** Pure Sendmail milter protocol v6: frame decoder, command parser, reply encoder, session. */
package io.inkan.milter;
