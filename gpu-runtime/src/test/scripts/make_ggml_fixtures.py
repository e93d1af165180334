#!/usr/bin/env python3
"""Writes the ggml oracle fixtures for PrefixFlow's quantized tensor types.

The fixtures are COMMITTED under gpu-runtime/src/test/resources/io/prefixflow/runtime/tensor/ggml/, so the
tests never need npm or ggml: run this script only to regenerate them (e.g. for a new type).

Oracle: ggml's own code, from the prebuilt libggml-base.so that the npm package @node-llama-cpp/linux-x64
(version 3.22.1, the llama.cpp build bench/llamacpp uses) ships. Install it OUTSIDE the repository:
    mkdir -p /work/ggml-oracle && cd /work/ggml-oracle && echo '{"private":true}' > package.json \
      && npm install --no-audit --no-fund --ignore-scripts @node-llama-cpp/linux-x64@3.22.1
then:
    python3 gpu-runtime/src/test/scripts/make_ggml_fixtures.py \
      --lib /work/ggml-oracle/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-base.so

Per type, one file <type>.bin (little-endian):
    int32 ggml type id, int32 rows, int32 cols,
    rows * row_size bytes: the blocks (first half of the rows quantized by ggml_quantize_chunk from seeded
                           Gaussian rows with outliers, second half random bytes with finite F16 scale fields,
                           so every quant and scale bit pattern occurs),
    rows * cols float32:   ggml's dequantize_row_<type> of those blocks.
"""
import argparse
import ctypes
import os
import random
import struct

# name -> (ggml type id, block elements, block bytes, byte offsets of the F16 fields in a block)
TYPES = {
    "q4_0": (2, 32, 18, [0]),
    "q4_1": (3, 32, 20, [0, 2]),
    "q5_0": (6, 32, 22, [0]),
    "q5_1": (7, 32, 24, [0, 2]),
    "q8_0": (8, 32, 34, [0]),
    "q2_K": (10, 256, 84, [80, 82]),
    "q3_K": (11, 256, 110, [108]),
    "q4_K": (12, 256, 144, [0, 2]),
    "q5_K": (13, 256, 176, [0, 2]),
    "q6_K": (14, 256, 210, [208]),
}
ROWS = 4
ELEMENTS_PER_ROW_BLOCKS = {32: 4, 256: 2}  # 128 or 512 values per row: a few KB per type


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", required=True, help="path to libggml-base.so")
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "resources", "io", "prefixflow", "runtime", "tensor", "ggml")
    parser.add_argument("--out", default=os.path.normpath(default_out))
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()

    lib = ctypes.CDLL(args.lib)
    lib.ggml_type_name.restype = ctypes.c_char_p
    lib.ggml_type_name.argtypes = [ctypes.c_int]
    lib.ggml_row_size.restype = ctypes.c_size_t
    lib.ggml_row_size.argtypes = [ctypes.c_int, ctypes.c_int64]
    lib.ggml_quantize_requires_imatrix.restype = ctypes.c_bool
    lib.ggml_quantize_requires_imatrix.argtypes = [ctypes.c_int]
    lib.ggml_quantize_chunk.restype = ctypes.c_size_t
    lib.ggml_quantize_chunk.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
                                        ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p]
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    for name, (type_id, block_elems, block_bytes, f16_fields) in TYPES.items():
        # check every argument before it reaches ggml: a failed assertion there aborts the process
        ggml_name = lib.ggml_type_name(type_id).decode()
        if ggml_name != name:
            raise SystemExit(f"ggml type {type_id} is {ggml_name}, expected {name}: wrong library version?")
        if lib.ggml_quantize_requires_imatrix(type_id):
            raise SystemExit(f"{name} needs an importance matrix")
        cols = block_elems * ELEMENTS_PER_ROW_BLOCKS[block_elems]
        row_bytes = lib.ggml_row_size(type_id, cols)
        if row_bytes != cols // block_elems * block_bytes:
            raise SystemExit(f"{name}: ggml row size {row_bytes}, expected {cols // block_elems * block_bytes}")
        quantized_rows = ROWS // 2
        src = (ctypes.c_float * (quantized_rows * cols))()
        for r in range(quantized_rows):
            scale = 0.02 if r == 0 else 3.0
            for c in range(cols):
                v = rng.gauss(0.0, scale)
                kind = rng.randrange(40)
                src[r * cols + c] = 0.0 if kind == 0 else (v * 8 if kind == 1 else v)
        blocks = (ctypes.c_uint8 * (ROWS * row_bytes))()
        written = lib.ggml_quantize_chunk(type_id, src, blocks, 0, quantized_rows, cols, None)
        if written != quantized_rows * row_bytes:
            raise SystemExit(f"{name}: ggml_quantize_chunk wrote {written} bytes")
        for i in range(quantized_rows * row_bytes, ROWS * row_bytes):
            blocks[i] = rng.randrange(256)
        for b in range(quantized_rows * cols // block_elems, ROWS * cols // block_elems):
            for field in f16_fields:
                value = rng.choice([-1, 1]) * rng.uniform(1e-4, 2.0)
                struct.pack_into("<e", blocks, b * block_bytes + field, value)
        dequantize = getattr(lib, "dequantize_row_" + name)
        dequantize.restype = None
        dequantize.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        dst = (ctypes.c_float * (ROWS * cols))()
        dequantize(blocks, dst, ROWS * cols)
        path = os.path.join(args.out, name.lower() + ".bin")
        with open(path, "wb") as f:
            f.write(struct.pack("<iii", type_id, ROWS, cols))
            f.write(bytes(blocks))
            f.write(bytes(dst))
        print(f"{path}: {ROWS}x{cols} {name}, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
