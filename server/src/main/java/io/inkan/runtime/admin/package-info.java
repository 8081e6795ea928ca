/** The admin HTTP endpoint: Prometheus metrics, health, status JSON and the live dashboard. */
package io.inkan.runtime.admin;
