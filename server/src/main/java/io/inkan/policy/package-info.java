/** Sign-or-verify decisions per message, On-* actions and Authentication-Results, as OpenDKIM. */
package io.inkan.policy;
