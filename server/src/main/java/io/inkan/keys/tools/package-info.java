/** Operator tools over keys: testing published key records (testkey) and zone lines (genzone). */
package io.inkan.keys.tools;
