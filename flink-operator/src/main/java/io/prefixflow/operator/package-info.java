/** Tokenize/fingerprint stage, routing and the InferenceOperator (issue 4). */
package io.prefixflow.operator;
