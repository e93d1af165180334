/** The {@code InferenceOperator}: one engine per subtask, mailbox hand-off, bounded in-flight requests, metrics. */
package io.prefixflow.operator.engine;
