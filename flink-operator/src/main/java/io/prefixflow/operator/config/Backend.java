package io.prefixflow.operator.config;

/** Where an engine runs its model ({@link InferenceOptions#BACKEND}). */
public enum Backend {
    /** The pure-Java CPU runner (Vector API). */
    CPU,
    /** NVIDIA GPUs through JCuda; not yet in this build, so choosing it is a configuration error. */
    CUDA
}
