/** A real Kafka broker inside the JVM, on loopback only, for tests and the quickstart. */
package io.prefixflow.connectors.embedded;
