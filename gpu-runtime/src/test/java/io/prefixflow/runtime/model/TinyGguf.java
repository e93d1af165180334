package io.prefixflow.runtime.model;

import io.prefixflow.runtime.format.GgufTestWriter;

/** A consistent tiny GGUF model for loader tests, built in memory; tests then break one thing at a time. */
final class TinyGguf {
    static final int DIM = 32;
    static final int HIDDEN = 48;
    static final int LAYERS = 2;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int KV_DIM = DIM / HEADS * KV_HEADS;
    static final int VOCAB = 16;
    static final int CONTEXT = 64;

    private TinyGguf() {
    }

    /** A model of architecture {@code arch} with tied embeddings (no output.weight), F32 everywhere. */
    static GgufTestWriter model(String arch) {
        String p = arch + ".";
        GgufTestWriter w = new GgufTestWriter()
                .put("general.architecture", arch)
                .put(p + "embedding_length", DIM)
                .put(p + "feed_forward_length", HIDDEN)
                .put(p + "block_count", LAYERS)
                .put(p + "attention.head_count", HEADS)
                .put(p + "attention.head_count_kv", KV_HEADS)
                .put(p + "context_length", CONTEXT)
                .put(p + "attention.layer_norm_rms_epsilon", 1e-6f)
                .put("tokenizer.ggml.bos_token_id", 1)
                .put("tokenizer.ggml.eos_token_id", 2);
        int salt = 0;
        w.f32Tensor("token_embd.weight", values(VOCAB * DIM, salt++), DIM, VOCAB);
        for (int l = 0; l < LAYERS; l++) {
            String b = "blk." + l + ".";
            w.f32Tensor(b + "attn_norm.weight", values(DIM, salt++), DIM);
            w.f32Tensor(b + "attn_q.weight", values(DIM * DIM, salt++), DIM, DIM);
            w.f32Tensor(b + "attn_k.weight", values(KV_DIM * DIM, salt++), DIM, KV_DIM);
            w.f32Tensor(b + "attn_v.weight", values(KV_DIM * DIM, salt++), DIM, KV_DIM);
            w.f32Tensor(b + "attn_output.weight", values(DIM * DIM, salt++), DIM, DIM);
            w.f32Tensor(b + "ffn_norm.weight", values(DIM, salt++), DIM);
            w.f32Tensor(b + "ffn_gate.weight", values(HIDDEN * DIM, salt++), DIM, HIDDEN);
            w.f32Tensor(b + "ffn_down.weight", values(DIM * HIDDEN, salt++), HIDDEN, DIM);
            w.f32Tensor(b + "ffn_up.weight", values(HIDDEN * DIM, salt++), DIM, HIDDEN);
        }
        w.f32Tensor("output_norm.weight", values(DIM, salt), DIM);
        return w;
    }

    /** A qwen2 model: Q/K/V biases and RoPE base 1e6. */
    static GgufTestWriter qwen2() {
        GgufTestWriter w = model("qwen2").put("qwen2.rope.freq_base", 1_000_000f);
        for (int l = 0; l < LAYERS; l++) {
            String b = "blk." + l + ".";
            w.f32Tensor(b + "attn_q.bias", values(DIM, 100 + l), DIM);
            w.f32Tensor(b + "attn_k.bias", values(KV_DIM, 200 + l), KV_DIM);
            w.f32Tensor(b + "attn_v.bias", values(KV_DIM, 300 + l), KV_DIM);
        }
        return w;
    }

    /** A qwen3 model: no biases, per-head Q/K RMSNorm weights (headSize each, around 1), RoPE base 1e6. */
    static GgufTestWriter qwen3() {
        GgufTestWriter w = model("qwen3").put("qwen3.rope.freq_base", 1_000_000f);
        for (int l = 0; l < LAYERS; l++) {
            String b = "blk." + l + ".";
            w.f32Tensor(b + "attn_q_norm.weight", normWeights(400 + l), DIM / HEADS);
            w.f32Tensor(b + "attn_k_norm.weight", normWeights(500 + l), DIM / HEADS);
        }
        return w;
    }

    /** 1 plus {@link #values}: norm-like weights of one head. */
    static float[] normWeights(int salt) {
        float[] v = values(DIM / HEADS, salt);
        for (int i = 0; i < v.length; i++) {
            v[i] += 1f;
        }
        return v;
    }

    /** Deterministic small values, exactly representable in F16: multiples of 1/64 in [-0.25, 0.25]. */
    static float[] values(int count, int salt) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = ((i * 7 + salt * 13) % 33 - 16) / 64f;
        }
        return v;
    }
}
