/** What the {@code InferenceOperator} keeps in its checkpoints. */
package io.prefixflow.operator.state;
