/** Milter sessions driven by miltertest, OpenDKIM's Lua-scripted MTA-side milter client. */
package io.inkan.miltertest;
