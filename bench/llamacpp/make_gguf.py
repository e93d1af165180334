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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dtype", choices=["f32", "f16", "q8_0"], required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--vocab", default="/work/shared/models/vocab/ggml-vocab-llama-spm.gguf")
    a = ap.parse_args()
    write_gguf(a.out, a.dtype, a.seed, a.vocab)


if __name__ == "__main__":
    main()
