/**
 * Structured output: a {@link io.prefixflow.runtime.structured.ResponseFormat} (JSON schema, JSON object,
 * choice, regex) compiles to a {@link io.prefixflow.runtime.structured.ByteDfa} over UTF-8 bytes; walking a
 * {@link io.prefixflow.runtime.structured.TokenTrie} of the vocabulary's token bytes against it gives, per
 * automaton state, the tokens that keep the output valid ({@link io.prefixflow.runtime.structured.TokenMasks},
 * cached as {@code long[]} bitsets). A {@link io.prefixflow.runtime.structured.TokenConstraint} follows one
 * request's output.
 *
 * <pre>
 *   ResponseFormat ──► ByteRegex ──► Nfa ──► ByteDfa ──┐
 *                                                     ├─► TokenMasks (per DFA state) ─► TokenConstraint
 *   Tokenizer ──────────────────────────► TokenTrie ──┘
 * </pre>
 */
package io.prefixflow.runtime.structured;
