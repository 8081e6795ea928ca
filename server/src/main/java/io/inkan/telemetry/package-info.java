/** Meters and readiness probes that every layer may register, with nothing of Inkan's below. */
package io.inkan.telemetry;
