"""Prints PrefixFlow / llama.cpp tokens/s per file and figure from the JSON files of run.sh.

    python3 summarize.py [DIR]      DIR: a run.sh output directory (default this one)
"""
import json, os, sys
here = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
def load(name):
    p = os.path.join(here, name)
    return json.load(open(p)) if os.path.exists(p) and os.path.getsize(p) > 0 else None
for f in ["rand110M-q4_k_m-as-f32", "rand110M-q8_0", "rand110M-q4_k_m", "llama1B-q4_k_m", "long-2048", "long-4096"]:
    pf, ll = load(f"prefixflow-{f}.json"), load(f"llamacpp-{f}.json")
    if not pf or not ll:
        print(f, "missing"); continue
    rows = [("prefill", pf["prefill_tokens_per_s"], ll["prefill_tokens_per_s"])]
    pfd = {d["concurrency"]: d["tokens_per_s"] for d in pf.get("decode", [])}
    lld = {d["concurrency"]: d["tokens_per_s"] for d in ll.get("decode", [])}
    for c in sorted(pfd):
        if c in lld:
            rows.append((f"decode c={c}", pfd[c], lld[c]))
    for name, a, b in rows:
        print(f"{f:24s} {name:12s} {a:8.1f} {b:8.1f} {a / b:5.2f}")
