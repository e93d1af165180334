"""PyTorch + Hugging Face transformers on the dummy:llama-1b shape (Llama 3.2 1B), BF16, random weights.

The comparison baseline for scripts/gpu/run-on-device.sh, same machine, same run. Prints one JSON object:
prefill tokens/s for one prompt, and decode tokens/s per batch size, where decode time is generate(128 new
tokens) minus generate(1 new token) on the same inputs, so the prompts' prefill is not counted as decode.
"""
import argparse
import json
import statistics
import time

import torch
from transformers import LlamaConfig, LlamaForCausalLM


def timed(fn, repetitions):
    fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-sizes", default="1,16,64")
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--decode-tokens", type=int, default=128)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()

    config = LlamaConfig(hidden_size=2048, intermediate_size=8192, num_hidden_layers=16, num_attention_heads=32,
                         num_key_value_heads=8, vocab_size=128256, max_position_embeddings=8192, rms_norm_eps=1e-5,
                         rope_theta=500000.0, tie_word_embeddings=True)
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = LlamaForCausalLM(config).to(torch.bfloat16).eval()

    result = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__,
              "prompt_tokens": args.prompt_tokens, "decode_tokens": args.decode_tokens}
    with torch.inference_mode():
        prompt = torch.randint(0, config.vocab_size, (1, args.prompt_tokens), device="cuda")
        seconds = timed(lambda: model(prompt), args.repetitions)
        result["prefill_tokens_per_s"] = round(args.prompt_tokens / seconds, 1)

        decode = []
        for batch in [int(b) for b in args.batch_sizes.split(",")]:
            ids = torch.randint(0, config.vocab_size, (batch, args.prompt_tokens), device="cuda")

            def generate(new_tokens):
                return lambda: model.generate(ids, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                                              do_sample=False, pad_token_id=0, eos_token_id=None)

            full = timed(generate(args.decode_tokens), args.repetitions)
            first = timed(generate(1), args.repetitions)
            rate = batch * (args.decode_tokens - 1) / max(full - first, 1e-9)
            decode.append({"batch": batch, "tokens_per_s": round(rate, 1)})
            print(f"batch {batch}: {rate:.1f} decode tokens/s", flush=True, file=__import__("sys").stderr)
        result["decode"] = decode
    print(json.dumps(result))


if __name__ == "__main__":
    main()
