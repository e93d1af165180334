package io.prefixflow.runtime.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the seed inputs of {@link GgufFileFuzzTest}; run once by hand, its output is committed. */
final class GgufSeeds {
    private GgufSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.write(dir.resolve("metadata-only"), new GgufTestWriter()
                .put("general.architecture", "llama").put("general.alignment", 32)
                .put("llama.context_length", 64).put("some.float", 1.5f).put("flag", true)
                .put("tokens", new String[] {"a", "b"}).put("ints", new int[] {1, 2, 3})
                .put("floats", new float[] {0.5f}).toBytes());
        Files.write(dir.resolve("tensors"), new GgufTestWriter()
                .put("general.architecture", "llama")
                .f32Tensor("token_embd.weight", new float[] {1, 2, 3, 4, 5, 6}, 3, 2)
                .tensor("q8", 8, new byte[34], 32).toBytes());
        Files.write(dir.resolve("tokenizer-llama"), new GgufTestWriter()
                .put("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", new String[] {"<unk>", "<s>", "</s>", "\u2581a", "b", "<0x41>"})
                .put("tokenizer.ggml.scores", new float[] {0, 0, 0, -1, -2, 0})
                .put("tokenizer.ggml.token_type", new int[] {2, 3, 3, 1, 1, 6})
                .put("tokenizer.ggml.bos_token_id", 1).put("tokenizer.ggml.eos_token_id", 2).toBytes());
        Files.write(dir.resolve("tokenizer-gpt2"), new GgufTestWriter()
                .put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.pre", "gpt-2")
                .put("tokenizer.ggml.tokens", new String[] {"a", "b", "ab", "\u0120", "<|endoftext|>"})
                .put("tokenizer.ggml.merges", new String[] {"a b"})
                .put("tokenizer.ggml.token_type", new int[] {1, 1, 1, 1, 3})
                .put("tokenizer.ggml.bos_token_id", 4).put("tokenizer.ggml.eos_token_id", 4).toBytes());
    }
}
