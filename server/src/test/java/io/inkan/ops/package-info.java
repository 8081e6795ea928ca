/** Tests of the deployment files in {@code ops/}: each example loaded, started and used. */
package io.inkan.ops;
