#!/usr/bin/env python3
"""Write a random-weight GGUF v3 model of the `rand110M` shape (llama2.c stories110M) for llama.cpp.

Standard library only (Python 3.11). Shape: dim 768, hidden 2048, 12 layers, 12 heads, 12 KV heads,
vocab 32000, shared classifier (output.weight is a byte-identical copy of token_embd.weight, like
llama.cpp's convert-llama2c-to-ggml writes it; only one of the two is read per token).

Weights ~ N(0, 0.02), seeded, RMSNorm weights 1.0 (always F32, as llama-quantize keeps 1-D tensors).
Matrices are F32, F16 or Q8_0 (--dtype). The tokenizer is copied raw from a vocab-only GGUF
(every `tokenizer.*` key/value, byte for byte), default /work/shared/models/vocab/ggml-vocab-llama-spm.gguf.

How the random values are made (fast: no per-element Python loop for F32/F16):
  * One "index" byte per weight comes from random.Random(seed).randbytes, tensor by tensor in file order,
    so the underlying weights are the same for all three dtypes.
  * A 256-entry table maps a byte b to 0.02 * InvNormCDF((b + 0.5) / 256) (symmetric, mean 0).
  * F32: the two high bytes of the float (sign, exponent, 7 top mantissa bits) come from the table via
    bytes.translate; the two low mantissa bytes are random bytes from a second stream (seed + 1),
    i.e. a continuous value inside a 0.8 %-wide bin around the table value.
  * F16: the high byte (sign, exponent, 2 mantissa bits) from the table, the low mantissa byte random
    (seed + 1 stream): a piecewise-uniform approximation of N(0, 0.02).
  * Q8_0: the table values themselves, quantized exactly as llama.cpp's quantize_row_q8_0_ref does:
    per block of 32 values d = amax / 127 (stored as f16), q = roundf(x / d) as int8, 34 bytes per block.
    One Python iteration per 32-value block (about 3.4 M blocks, a few seconds).

Usage:  python3 make_gguf.py --dtype f32|f16|q8_0 --out FILE.gguf [--seed 20240601] [--vocab VOCAB.gguf]

K-quant mixes (numpy + ggml's own quantizer; see write_kquant_gguf below):
        python3 make_gguf.py --recipe q4_k_m|q5_k_m --shape NAME --out FILE.gguf [--seed S] [--vocab V] [--lib L]
                             [--as-f32]
with NAME one of the SHAPES keys (rand110M, llama1B, smol576, qwen3, and the tiny test shapes).
"""
import argparse
import os
import random
import struct
import sys
import time
from statistics import NormalDist

# ---- model shape (rand110M = llama2.c stories110M) ----
DIM, HIDDEN, LAYERS, HEADS, KV_HEADS, VOCAB, CTX = 768, 2048, 12, 12, 12, 32000, 1024
HEAD_DIM = DIM // HEADS
STD = 0.02
ALIGN = 32

# GGUF value types
T_U8, T_I8, T_U16, T_I16, T_U32, T_I32, T_F32, T_BOOL, T_STR, T_ARR, T_U64, T_I64, T_F64 = range(13)
SCALAR_SIZE = {T_U8: 1, T_I8: 1, T_U16: 2, T_I16: 2, T_U32: 4, T_I32: 4, T_F32: 4, T_BOOL: 1,
               T_U64: 8, T_I64: 8, T_F64: 8}
# ggml tensor types
GGML_F32, GGML_F16, GGML_Q8_0 = 0, 1, 8
# llama_ftype (general.file_type)
FTYPE = {"f32": 0, "f16": 1, "q8_0": 7}
MATRIX_TYPE = {"f32": GGML_F32, "f16": GGML_F16, "q8_0": GGML_Q8_0}


# ---------------------------------------------------------------- GGUF reading (vocab copy)
def _skip_value(buf, off, vtype):
    if vtype in SCALAR_SIZE:
        return off + SCALAR_SIZE[vtype]
    if vtype == T_STR:
        (n,) = struct.unpack_from("<Q", buf, off)
        return off + 8 + n
    if vtype == T_ARR:
        atype, n = struct.unpack_from("<IQ", buf, off)
        off += 12
        if atype in SCALAR_SIZE:
            return off + SCALAR_SIZE[atype] * n
        for _ in range(n):
            off = _skip_value(buf, off, atype)
        return off
    raise ValueError(f"unknown GGUF value type {vtype}")


def read_tokenizer_kvs(path):
    """Return [(key, raw_bytes_of_the_whole_kv_entry)] for every tokenizer.* entry of a GGUF file."""
    with open(path, "rb") as f:
        buf = f.read()
    magic, version, _n_tensors, n_kv = struct.unpack_from("<4sIQQ", buf, 0)
    if magic != b"GGUF" or version not in (2, 3):
        raise ValueError(f"{path}: not a GGUF v2/v3 file")
    off = 24
    out = []
    for _ in range(n_kv):
        start = off
        (klen,) = struct.unpack_from("<Q", buf, off)
        key = buf[off + 8: off + 8 + klen].decode("utf-8")
        off += 8 + klen
        (vtype,) = struct.unpack_from("<I", buf, off)
        off = _skip_value(buf, off + 4, vtype)
        if key.startswith("tokenizer."):
            out.append((key, buf[start:off]))
    if not out:
        raise ValueError(f"{path}: no tokenizer.* metadata")
    return out


# ---------------------------------------------------------------- GGUF writing helpers
def gstr(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def kv(key, vtype, value):
    fmt = {T_U32: "<I", T_F32: "<f", T_BOOL: "<?", T_U64: "<Q", T_I32: "<i"}
    if vtype == T_STR:
        payload = gstr(value)
    else:
        payload = struct.pack(fmt[vtype], value)
    return gstr(key) + struct.pack("<I", vtype) + payload


def pad_to(n, a=ALIGN):
    return (n + a - 1) // a * a


# ---------------------------------------------------------------- random value tables
def make_tables():
    nd = NormalDist(0.0, STD)
    vals = [nd.inv_cdf((b + 0.5) / 256.0) for b in range(256)]
    # force exact symmetry (vals[255-b] == -vals[b])
    for b in range(128):
        vals[255 - b] = -vals[b]
    f32 = [struct.pack("<f", v) for v in vals]
    f32_b2 = bytes(x[2] for x in f32)
    f32_b3 = bytes(x[3] for x in f32)
    f16_hi = bytes(struct.pack("<e", v)[1] for v in vals)
    # Q8_0: rank of |v| (0..127) per byte; per rank a scale and a byte->int8 translate table
    absvals = sorted(set(abs(v) for v in vals))
    assert len(absvals) == 128
    rank_of = {a: i for i, a in enumerate(absvals)}
    absrank = bytes(rank_of[abs(v)] for v in vals)
    q_scale, q_table = [], []
    for r in range(128):
        amax = absvals[r]
        d = amax / 127.0
        inv = 1.0 / d
        q = []
        for v in vals:
            x = v * inv
            qi = int(x + 0.5) if x >= 0 else -int(-x + 0.5)  # roundf: half away from zero
            q.append(max(-127, min(127, qi)) & 0xFF)  # |v| > amax never occurs in a block of rank r
        q_scale.append(struct.pack("<e", d))
        q_table.append(bytes(q))
    return vals, f32_b2, f32_b3, f16_hi, absrank, q_scale, q_table


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)          # index bytes (same for every dtype)
        self.jit = random.Random(seed + 1)      # low mantissa bytes (F32/F16)
        (self.vals, self.f32_b2, self.f32_b3, self.f16_hi,
         self.absrank, self.q_scale, self.q_table) = make_tables()

    def matrix(self, n, dtype):
        idx = self.rng.randbytes(n)
        if dtype == "f32":
            out = bytearray(4 * n)
            low = self.jit.randbytes(2 * n)
            out[0::4] = low[0::2]
            out[1::4] = low[1::2]
            out[2::4] = idx.translate(self.f32_b2)
            out[3::4] = idx.translate(self.f32_b3)
            return out
        if dtype == "f16":
            out = bytearray(2 * n)
            out[0::2] = self.jit.randbytes(n)
            out[1::2] = idx.translate(self.f16_hi)
            return out
        if dtype == "q8_0":
            assert n % 32 == 0
            ranks = idx.translate(self.absrank)
            qs, qt = self.q_scale, self.q_table
            parts = []
            app = parts.append
            for i in range(0, n, 32):
                r = max(ranks[i:i + 32])
                app(qs[r])
                app(idx[i:i + 32].translate(qt[r]))
            return b"".join(parts)
        raise ValueError(dtype)


def tensor_nbytes(ggml_type, n):
    if ggml_type == GGML_F32:
        return 4 * n
    if ggml_type == GGML_F16:
        return 2 * n
    if ggml_type == GGML_Q8_0:
        return n // 32 * 34
    raise ValueError(ggml_type)


def tensor_list(dtype):
    """(name, dims innermost-first, ggml_type, kind) in file order."""
    m = MATRIX_TYPE[dtype]
    t = [("token_embd.weight", (DIM, VOCAB), m, "embd")]
    for L in range(LAYERS):
        p = f"blk.{L}."
        t += [
            (p + "attn_norm.weight", (DIM,), GGML_F32, "ones"),
            (p + "attn_q.weight", (DIM, DIM), m, "rand"),
            (p + "attn_k.weight", (DIM, KV_HEADS * HEAD_DIM), m, "rand"),
            (p + "attn_v.weight", (DIM, KV_HEADS * HEAD_DIM), m, "rand"),
            (p + "attn_output.weight", (DIM, DIM), m, "rand"),
            (p + "ffn_norm.weight", (DIM,), GGML_F32, "ones"),
            (p + "ffn_gate.weight", (DIM, HIDDEN), m, "rand"),
            (p + "ffn_down.weight", (HIDDEN, DIM), m, "rand"),
            (p + "ffn_up.weight", (DIM, HIDDEN), m, "rand"),
        ]
    t += [("output_norm.weight", (DIM,), GGML_F32, "ones"),
          ("output.weight", (DIM, VOCAB), m, "embd")]  # shared classifier: same bytes as token_embd
    return t


def write_gguf(path, dtype, seed, vocab_path):
    t0 = time.time()
    tok_kvs = read_tokenizer_kvs(vocab_path)
    kvs = [
        kv("general.architecture", T_STR, "llama"),
        kv("general.name", T_STR, f"rand110M-{dtype}"),
        kv("general.file_type", T_U32, FTYPE[dtype]),
        kv("general.alignment", T_U32, ALIGN),
        kv("llama.vocab_size", T_U32, VOCAB),
        kv("llama.context_length", T_U32, CTX),
        kv("llama.embedding_length", T_U32, DIM),
        kv("llama.feed_forward_length", T_U32, HIDDEN),
        kv("llama.block_count", T_U32, LAYERS),
        kv("llama.attention.head_count", T_U32, HEADS),
        kv("llama.attention.head_count_kv", T_U32, KV_HEADS),
        kv("llama.attention.layer_norm_rms_epsilon", T_F32, 1e-5),
        kv("llama.rope.freq_base", T_F32, 10000.0),
        kv("llama.rope.dimension_count", T_U32, HEAD_DIM),
    ]
    if dtype == "q8_0":
        kvs.append(kv("general.quantization_version", T_U32, 2))
    kvs += [raw for _key, raw in tok_kvs]

    tensors = tensor_list(dtype)
    infos, offset = [], 0
    for name, dims, gt, _kind in tensors:
        n = 1
        for d in dims:
            n *= d
        infos.append(gstr(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims)
                     + struct.pack("<IQ", gt, offset))
        offset = pad_to(offset + tensor_nbytes(gt, n))

    header = struct.pack("<4sIQQ", b"GGUF", 3, len(tensors), len(kvs)) + b"".join(kvs) + b"".join(infos)
    header += b"\0" * (pad_to(len(header)) - len(header))

    gen = Gen(seed)
    ones = struct.pack("<f", 1.0) * DIM
    embd_cache = None
    n_params = 0
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(header)
        for name, dims, gt, kind in tensors:
            n = 1
            for d in dims:
                n *= d
            n_params += n
            if kind == "ones":
                data = ones
            elif kind == "embd":
                if embd_cache is None:
                    embd_cache = gen.matrix(n, dtype)
                data = embd_cache
            else:
                data = gen.matrix(n, dtype)
            assert len(data) == tensor_nbytes(gt, n), name
            f.write(data)
            f.write(b"\0" * (pad_to(len(data)) - len(data)))
    os.replace(tmp, path)
    size = os.path.getsize(path)
    print(f"wrote {path}: dtype={dtype} tensors={len(tensors)} params(with duplicated classifier)={n_params:,} "
          f"size={size / 2**20:.2f} MiB tokenizer_kvs={len(tok_kvs)} in {time.time() - t0:.1f}s", file=sys.stderr)


# ---------------------------------------------------------------- K-quant mixes (Q4_K_M, Q5_K_M)
# Random-weight GGUF files quantized the way `llama-quantize ... Q4_K_M|Q5_K_M` would quantize an F32 model of the
# same shape: per-tensor types from llama.cpp's llama_tensor_get_type (src/llama-quant.cpp, llama.cpp v0.5.0 as
# bundled in node-llama-cpp 3.22.1) and the bytes from ggml's own ggml_quantize_chunk (libggml-base.so, no imatrix).
#
#   * 1-D tensors (norms, rope_freqs) stay F32.
#   * output.weight, and token_embd.weight when there is no output.weight (tied): Q6_K, or Q8_0 when the row
#     length is not a multiple of 256 (llama.cpp checks the mix's default type's block size there).
#   * an untied token_embd.weight: the mix's default type (Q4_K / Q5_K).
#   * attn_v and ffn_down of layer i of n: Q6_K when use_more_bits(i, n) = i < n/8 || i >= 7n/8 || (i - n/8) % 3 == 2.
#   * everything else: the default type.
#   * then tensor_type_fallback: a row length not divisible by the chosen type's block size turns Q4_K -> Q5_0,
#     Q5_K -> Q5_1, Q6_K -> Q8_0, and to F16 when even that block size does not divide it.
# Values: numpy's PCG64 seeded by (seed, tensor index). Matrices N(0, 1/sqrt(row length)) (variance-preserving:
# every layer moves the residual stream about as much as the embedding, so greedy output is not just the prompt's
# last token repeated, which N(0, 0.02) everywhere gave); norm weights 1 + N(0, 0.1) so the norm scales matter.

GGML_Q4_0, GGML_Q4_1, GGML_Q5_0, GGML_Q5_1 = 2, 3, 6, 7
GGML_Q2_K, GGML_Q3_K, GGML_Q4_K, GGML_Q5_K, GGML_Q6_K = 10, 11, 12, 13, 14
GGML_TYPE_NAME = {GGML_F32: "f32", GGML_F16: "f16", GGML_Q4_0: "q4_0", GGML_Q4_1: "q4_1", GGML_Q5_0: "q5_0",
                  GGML_Q5_1: "q5_1", GGML_Q8_0: "q8_0", GGML_Q2_K: "q2_K", GGML_Q3_K: "q3_K", GGML_Q4_K: "q4_K",
                  GGML_Q5_K: "q5_K", GGML_Q6_K: "q6_K"}
BLOCK_SIZE = {GGML_F32: 1, GGML_F16: 1, GGML_Q4_0: 32, GGML_Q4_1: 32, GGML_Q5_0: 32, GGML_Q5_1: 32, GGML_Q8_0: 32,
              GGML_Q2_K: 256, GGML_Q3_K: 256, GGML_Q4_K: 256, GGML_Q5_K: 256, GGML_Q6_K: 256}
RECIPES = {"q4_k_m": (GGML_Q4_K, 15), "q5_k_m": (GGML_Q5_K, 17)}  # default type, general.file_type
FALLBACK = {GGML_Q4_K: GGML_Q5_0, GGML_Q5_K: GGML_Q5_1, GGML_Q6_K: GGML_Q8_0, GGML_Q2_K: GGML_Q4_0,
            GGML_Q3_K: GGML_Q4_0}

SPM_VOCAB = "/work/shared/models/vocab/ggml-vocab-llama-spm.gguf"
GPT2_VOCAB = "/work/shared/models/vocab/ggml-vocab-gpt-2.gguf"
TOK512_VOCAB = "/work/shared/models/stories260K.gguf"  # 512-piece SPM vocab: small enough for test resources
DEFAULT_LIB = "/work/ggml-oracle/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-base.so"

# name -> shape. vocab: the GGUF whose tokenizer.* entries are copied (its token count is the vocab size).
SHAPES = {
    # llama2.c stories110M, untied classifier (token_embd + output), as rand110M-{f32,f16,q8_0}
    "rand110M": dict(arch="llama", dim=768, hidden=2048, layers=12, heads=12, kv_heads=12, vocab=SPM_VOCAB,
                     tied=False, rope_base=10000.0, eps=1e-5, ctx=1024),
    # Llama 3.2 1B: tied embeddings, GQA 32/8, llama3 RoPE frequency factors (rope_freqs.weight); SPM vocab 32000
    # instead of the real 128256 (the shared tokenizers have no Llama 3 one)
    "llama1B": dict(arch="llama", dim=2048, hidden=8192, layers=16, heads=32, kv_heads=8, vocab=SPM_VOCAB,
                    tied=True, rope_base=500000.0, eps=1e-5, ctx=4096, llama3_rope=True),
    # SmolLM2-135M: width 576 (not a multiple of 256: Q5_0/Q8_0 fallbacks), 9 heads / 3 KV heads, tied, GPT-2 BPE
    "smol576": dict(arch="llama", dim=576, hidden=1536, layers=30, heads=9, kv_heads=3, vocab=GPT2_VOCAB,
                    tied=True, rope_base=100000.0, eps=1e-5, ctx=2048),
    # Qwen3-0.6B's width, depth, GQA and FFN, but head size 64 = dim / heads (the real model's 128 is not
    # supported by PrefixFlow); per-head q/k RMSNorm, tied, GPT-2 BPE vocab instead of Qwen's 151936
    "qwen3": dict(arch="qwen3", dim=1024, hidden=3072, layers=28, heads=16, kv_heads=8, vocab=GPT2_VOCAB,
                  tied=True, rope_base=1000000.0, eps=1e-6, ctx=4096),
    # tiny shapes for committed test resources (tok512 vocab, < 1.1 MB each)
    "tinyllama": dict(arch="llama", dim=256, hidden=512, layers=2, heads=4, kv_heads=2, vocab=TOK512_VOCAB,
                      tied=False, rope_base=10000.0, eps=1e-5, ctx=512),
    "tinyqwen3": dict(arch="qwen3", dim=256, hidden=512, layers=2, heads=4, kv_heads=2, vocab=TOK512_VOCAB,
                      tied=True, rope_base=1000000.0, eps=1e-6, ctx=512),
    "tiny192": dict(arch="llama", dim=192, hidden=512, layers=2, heads=3, kv_heads=1, vocab=TOK512_VOCAB,
                    tied=True, rope_base=10000.0, eps=1e-5, ctx=512),
}


def use_more_bits(i_layer, n_layers):
    return i_layer < n_layers // 8 or i_layer >= 7 * n_layers // 8 or (i_layer - n_layers // 8) % 3 == 2


def type_fallback(t, ncols):
    """llama.cpp's tensor_type_fallback."""
    if ncols % BLOCK_SIZE[t] == 0:
        return t
    instead = FALLBACK.get(t, t)  # a 32-block type stays itself, then F16 below
    return instead if ncols % BLOCK_SIZE[instead] == 0 else GGML_F16


def kquant_type(recipe, name, ncols, n_layers, tied):
    """The ggml type llama.cpp's llama_tensor_get_type gives tensor `name` (row length ncols) in a mix."""
    default = RECIPES[recipe][0]
    if name == "output.weight" or (tied and name == "token_embd.weight"):
        t = GGML_Q8_0 if ncols % BLOCK_SIZE[default] != 0 else GGML_Q6_K
    elif name.endswith("attn_v.weight") or name.endswith("ffn_down.weight"):
        layer = int(name.split(".")[1])
        t = GGML_Q6_K if use_more_bits(layer, n_layers) else default
    else:
        t = default
    return type_fallback(t, ncols)


def llama3_rope_factors(head_dim, base, factor=32.0, low_freq_factor=1.0, high_freq_factor=4.0, old_ctx=8192):
    """rope_freqs.weight as convert_hf_to_gguf.py writes it for rope_scaling.rope_type == 'llama3' (Llama 3.2)."""
    import math
    out = []
    for i in range(0, head_dim, 2):
        freq = 1.0 / (base ** (i / head_dim))
        wavelen = 2 * math.pi / freq
        if wavelen < old_ctx / high_freq_factor:
            out.append(1.0)
        elif wavelen > old_ctx / low_freq_factor:
            out.append(factor)
        else:
            smooth = (old_ctx / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
            out.append(1.0 / ((1 - smooth) / factor + smooth))
    return out


def kquant_tensor_list(shape):
    """(name, dims innermost-first, kind) in llama.cpp's file order; kind: 'norm', 'rand', 'rope'."""
    s = shape
    head = s["dim"] // s["heads"]
    kv_dim = s["kv_heads"] * head
    t = [("token_embd.weight", (s["dim"], s["n_vocab"]), "rand")]
    if s.get("llama3_rope"):
        t.append(("rope_freqs.weight", (head // 2,), "rope"))
    for L in range(s["layers"]):
        p = f"blk.{L}."
        t += [(p + "attn_norm.weight", (s["dim"],), "norm"),
              (p + "attn_q.weight", (s["dim"], s["dim"]), "rand"),
              (p + "attn_k.weight", (s["dim"], kv_dim), "rand"),
              (p + "attn_v.weight", (s["dim"], kv_dim), "rand"),
              (p + "attn_output.weight", (s["dim"], s["dim"]), "rand")]
        if s["arch"] == "qwen3":
            t += [(p + "attn_q_norm.weight", (head,), "norm"), (p + "attn_k_norm.weight", (head,), "norm")]
        t += [(p + "ffn_norm.weight", (s["dim"],), "norm"),
              (p + "ffn_gate.weight", (s["dim"], s["hidden"]), "rand"),
              (p + "ffn_down.weight", (s["hidden"], s["dim"]), "rand"),
              (p + "ffn_up.weight", (s["dim"], s["hidden"]), "rand")]
    t.append(("output_norm.weight", (s["dim"],), "norm"))
    if not s["tied"]:
        t.append(("output.weight", (s["dim"], s["n_vocab"]), "rand"))
    return t


class Ggml:
    """ctypes access to ggml's quantizer; every argument is checked first (a ggml assertion aborts the process)."""

    def __init__(self, path):
        import ctypes
        self.ct = ctypes
        lib = ctypes.CDLL(path)
        lib.ggml_type_name.restype = ctypes.c_char_p
        lib.ggml_type_name.argtypes = [ctypes.c_int]
        lib.ggml_row_size.restype = ctypes.c_size_t
        lib.ggml_row_size.argtypes = [ctypes.c_int, ctypes.c_int64]
        lib.ggml_quantize_requires_imatrix.restype = ctypes.c_bool
        lib.ggml_quantize_requires_imatrix.argtypes = [ctypes.c_int]
        lib.ggml_quantize_chunk.restype = ctypes.c_size_t
        lib.ggml_quantize_chunk.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
                                            ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p]
        for t, name in GGML_TYPE_NAME.items():
            got = lib.ggml_type_name(t).decode()
            if got != name:
                raise SystemExit(f"ggml type {t} is {got}, expected {name}: wrong libggml-base.so?")
        for t, name in GGML_TYPE_NAME.items():
            if t not in (GGML_F32, GGML_F16):
                fn = getattr(lib, "dequantize_row_" + name)
                fn.restype = None
                fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        lib.ggml_fp16_to_fp32_row.restype = None
        lib.ggml_fp16_to_fp32_row.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        self.lib = lib

    def dequantize(self, t, data, n):
        """ggml's own float values of `n` elements of type t (bytes) as float32 bytes."""
        import numpy as np
        if t == GGML_F32:
            return data
        src = np.frombuffer(data, dtype=np.uint8).copy()
        dst = np.empty(n, dtype=np.float32)
        if t == GGML_F16:
            self.lib.ggml_fp16_to_fp32_row(src.ctypes.data, dst.ctypes.data, n)
        else:
            getattr(self.lib, "dequantize_row_" + GGML_TYPE_NAME[t])(src.ctypes.data, dst.ctypes.data, n)
        return dst.astype("<f4").tobytes()

    def row_size(self, t, ncols):
        return self.lib.ggml_row_size(t, ncols)

    def quantize(self, t, values, nrows, ncols):
        """values: C-contiguous float32 numpy array of nrows * ncols -> bytes of type t."""
        import numpy as np
        if t == GGML_F32:
            return values.astype("<f4").tobytes()
        assert ncols % BLOCK_SIZE[t] == 0 and values.dtype == np.float32 and values.size == nrows * ncols
        assert not self.lib.ggml_quantize_requires_imatrix(t)
        size = self.row_size(t, ncols) * nrows
        dst = np.empty(size, dtype=np.uint8)
        src = np.ascontiguousarray(values)
        written = self.lib.ggml_quantize_chunk(t, src.ctypes.data, dst.ctypes.data, 0, nrows, ncols, None)
        if written != size:
            raise SystemExit(f"ggml_quantize_chunk wrote {written} bytes, expected {size}")
        return dst.tobytes()


def _token_count(tok_kvs):
    for key, raw in tok_kvs:
        if key == "tokenizer.ggml.tokens":
            off = 8 + len(key) + 4  # key string, value type
            atype, n = struct.unpack_from("<IQ", raw, off)
            assert atype == T_STR
            return n
    raise ValueError("no tokenizer.ggml.tokens")


def write_kquant_gguf(path, recipe, shape_name, seed, vocab_path, lib_path, as_f32=False):
    """as_f32: write every tensor as F32 holding ggml's dequantization of the recipe's bytes: the same model with
    float weights, on which llama.cpp multiplies in float (no activation quantization)."""
    import numpy as np
    t0 = time.time()
    shape = dict(SHAPES[shape_name])
    if vocab_path:
        shape["vocab"] = vocab_path
    tok_kvs = read_tokenizer_kvs(shape["vocab"])
    shape["n_vocab"] = _token_count(tok_kvs)
    ggml = Ggml(lib_path)
    arch, head = shape["arch"], shape["dim"] // shape["heads"]
    a = arch + "."
    kvs = [
        kv("general.architecture", T_STR, arch),
        kv("general.name", T_STR, f"{shape_name}-{recipe}" + ("-as-f32" if as_f32 else "")),
        kv("general.file_type", T_U32, 0 if as_f32 else RECIPES[recipe][1]),
        kv("general.quantization_version", T_U32, 2),
        kv("general.alignment", T_U32, ALIGN),
        kv(a + "vocab_size", T_U32, shape["n_vocab"]),
        kv(a + "context_length", T_U32, shape["ctx"]),
        kv(a + "embedding_length", T_U32, shape["dim"]),
        kv(a + "feed_forward_length", T_U32, shape["hidden"]),
        kv(a + "block_count", T_U32, shape["layers"]),
        kv(a + "attention.head_count", T_U32, shape["heads"]),
        kv(a + "attention.head_count_kv", T_U32, shape["kv_heads"]),
        kv(a + "attention.layer_norm_rms_epsilon", T_F32, shape["eps"]),
        kv(a + "rope.freq_base", T_F32, shape["rope_base"]),
        kv(a + "rope.dimension_count", T_U32, head),
        kv(a + "attention.key_length", T_U32, head),
        kv(a + "attention.value_length", T_U32, head),
    ]
    kvs += [raw for _key, raw in tok_kvs]

    tensors = []
    for name, dims, kind in kquant_tensor_list(shape):
        gt = GGML_F32 if len(dims) == 1 else kquant_type(recipe, name, dims[0], shape["layers"], shape["tied"])
        tensors.append((name, dims, kind, gt))
    stored = (lambda gt: GGML_F32) if as_f32 else (lambda gt: gt)
    infos, offset = [], 0
    for name, dims, _kind, gt in tensors:
        nrows = 1 if len(dims) == 1 else dims[1]
        infos.append(gstr(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims)
                     + struct.pack("<IQ", stored(gt), offset))
        offset = pad_to(offset + ggml.row_size(stored(gt), dims[0]) * nrows)
    header = struct.pack("<4sIQQ", b"GGUF", 3, len(tensors), len(kvs)) + b"".join(kvs) + b"".join(infos)
    header += b"\0" * (pad_to(len(header)) - len(header))

    counts = {}
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(header)
        for index, (name, dims, kind, gt) in enumerate(tensors):
            ncols = dims[0]
            nrows = 1 if len(dims) == 1 else dims[1]
            rng = np.random.default_rng([seed, index])
            if kind == "rope":
                values = np.array(llama3_rope_factors(head, shape["rope_base"]), dtype=np.float32)
            elif kind == "norm":
                values = (1.0 + 0.1 * rng.standard_normal(ncols, dtype=np.float32)).astype(np.float32)
            else:
                values = rng.standard_normal(nrows * ncols, dtype=np.float32)
                values *= np.float32(1.0 / np.sqrt(ncols))
            data = ggml.quantize(gt, values, nrows, ncols)
            if as_f32:
                data = ggml.dequantize(gt, data, nrows * ncols)
            f.write(data)
            f.write(b"\0" * (pad_to(len(data)) - len(data)))
            counts[GGML_TYPE_NAME[gt]] = counts.get(GGML_TYPE_NAME[gt], 0) + 1
    os.replace(tmp, path)
    print(f"wrote {path}: {shape_name} {recipe} tensors={len(tensors)} types={counts} vocab={shape['n_vocab']} "
          f"size={os.path.getsize(path) / 2**20:.2f} MiB in {time.time() - t0:.1f}s", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dtype", choices=["f32", "f16", "q8_0"])
    ap.add_argument("--recipe", choices=sorted(RECIPES))
    ap.add_argument("--shape", choices=sorted(SHAPES), help="with --recipe (default rand110M)", default="rand110M")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--vocab", default=None, help="GGUF to copy tokenizer.* from (default: per dtype/shape)")
    ap.add_argument("--lib", default=DEFAULT_LIB, help="libggml-base.so for --recipe")
    ap.add_argument("--as-f32", action="store_true",
                    help="with --recipe: store ggml's dequantization of every tensor as F32 (same model, float weights)")
    a = ap.parse_args()
    if (a.dtype is None) == (a.recipe is None):
        ap.error("give exactly one of --dtype and --recipe")
    if a.dtype:
        write_gguf(a.out, a.dtype, a.seed, a.vocab or SPM_VOCAB)
    else:
        write_kquant_gguf(a.out, a.recipe, a.shape, a.seed, a.vocab, a.lib, a.as_f32)


if __name__ == "__main__":
    main()
