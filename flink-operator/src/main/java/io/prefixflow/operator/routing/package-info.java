/**
 * Where the prepare stage sends each request: the {@link io.prefixflow.operator.routing.Router}s of the three
 * routing modes (cache-aware, fixed prefix fingerprint, round-robin) and the keys that land a record on a chosen
 * inference subtask. Everything here but {@link io.prefixflow.operator.routing.SubtaskKeys} and the
 * fingerprint router's key-group arithmetic is plain Java, so the routing simulator replays the same code.
 */
package io.prefixflow.operator.routing;
