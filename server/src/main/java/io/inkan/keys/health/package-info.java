/** The daemon's background check that every configured key's published record still matches it. */
package io.inkan.keys.health;
