/**
 * The validate + tokenize + fingerprint stage: chat templates (jinjava), control tokens, prompt encoding and
 * the routing key.
 */
package io.prefixflow.operator.prepare;
