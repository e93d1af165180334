#!/usr/bin/env node
// llama.cpp greedy decoding (node-llama-cpp's prebuilt llama.cpp, CPU) with the logits of every step, as JSON:
// the reference that PrefixFlow's greedy tokens and logits are compared with (see README.md, "Greedy comparison").
//
// For each prompt: the prompt text is tokenized by llama.cpp (BOS prepended when the vocab asks for it; an empty
// prompt is BOS alone), evaluated in one batch, then `--steps` tokens are generated greedily (temperature 0: argmax),
// one llama_decode per token. Every step records the chosen token, its top `--top` logits and, with --full-logits,
// all logits (float32, little-endian, base64; in the first run only, to keep the file small). The whole run is
// repeated for each thread count in `--threads` (default 1,2) in a fresh context, so llama.cpp's own 1-thread and
// 2-thread results can be compared with each other.
//
// KV cache: F32 by default (--kv f16 for llama.cpp's default F16 cache). PrefixFlow keeps K/V in F32, so with F32
// the only numeric difference left is the weights-times-activations path (llama.cpp quantizes activations to Q8_K /
// Q8_0 / Q8_1 for quantized dot products). Flash attention off, as in bench.mjs.
//
// Usage: node greedy.mjs --model FILE.gguf --out FILE.json [--prompts FILE.json] [--steps 24] [--threads 1,2]
//                        [--top 10] [--full-logits] [--kv f32|f16] [--nlc-dir DIR]
// --prompts: a JSON array of strings (default: four short English prompts and the empty prompt).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

function parseArgs(argv) {
    const a = {
        model: null, out: null, prompts: null, steps: 24, threads: [1, 2], top: 10, fullLogits: false, kv: "f32",
        nlcDir: process.env.NLC_DIR ?? "/work/llamacpp-work/node_modules/node-llama-cpp"
    };
    for (let i = 2; i < argv.length; i++) {
        const k = argv[i], v = () => argv[++i];
        if (k === "--model") a.model = v();
        else if (k === "--out") a.out = v();
        else if (k === "--prompts") a.prompts = JSON.parse(fs.readFileSync(v(), "utf8"));
        else if (k === "--steps") a.steps = parseInt(v(), 10);
        else if (k === "--threads") a.threads = v().split(",").map((x) => parseInt(x, 10));
        else if (k === "--top") a.top = parseInt(v(), 10);
        else if (k === "--full-logits") a.fullLogits = true;
        else if (k === "--kv") a.kv = v();
        else if (k === "--nlc-dir") a.nlcDir = v();
        else throw new Error(`unknown argument ${k}`);
    }
    if (!a.model || !a.out) throw new Error("--model and --out are required");
    if (!["f32", "f16"].includes(a.kv)) throw new Error("--kv must be f32 or f16");
    return a;
}
const args = parseArgs(process.argv);
const log = (...m) => console.error("[greedy]", ...m);
const DEFAULT_PROMPTS = ["Once upon a time", "The little dog ran to the park and", "Lily and Tom were friends.",
    "1, 2, 3, 4,", ""];
const prompts = args.prompts ?? DEFAULT_PROMPTS;

const nlcPkg = JSON.parse(fs.readFileSync(path.join(args.nlcDir, "package.json"), "utf8"));
const { getLlama, LlamaLogLevel } = await import(pathToFileURL(path.join(args.nlcDir, "dist", "index.js")).href);
const maxThreads = Math.max(...args.threads);
const llama = await getLlama({
    gpu: false, build: "never", usePrebuiltBinaries: true, skipDownload: true, progressLogs: false,
    maxThreads, logLevel: LlamaLogLevel.warn,
    logger: (level, msg) => process.stderr.write(`[llama.cpp ${level}] ${msg}`)
});
const model = await llama.loadModel({ modelPath: args.model, gpuLayers: 0 });
const nVocab = model.tokens.nTokens ?? null;
const bos = model.tokens.bos;
const addBos = model.tokens.shouldPrependBosToken ?? true;

// BOS first where the vocab adds it; an empty prompt is BOS alone even where it does not (GPT-2 style vocabs)
function promptIds(text) {
    const ids = [...model.tokenize(text, false)];
    if ((addBos || ids.length === 0) && bos != null) return [bos, ...ids];
    if (ids.length === 0) throw new Error("empty prompt and the vocab has no BOS token");
    return ids;
}

const f32base64 = (values) => Buffer.from(new Float32Array(values).buffer).toString("base64");

async function runOnce(threads, fullLogits) {
    const kvType = args.kv === "f32" ? "F32" : "F16";
    const ctxSize = Math.max(...prompts.map((p) => promptIds(p).length)) + args.steps + 8;
    const context = await model.createContext({
        contextSize: ctxSize, sequences: 1, threads: { ideal: threads, min: threads }, batchSize: 512,
        flashAttention: false, experimentalKvCacheKeyType: kvType, experimentalKvCacheValueType: kvType
    });
    const cases = [];
    const sequence = context.getSequence();
    try {
        for (const text of prompts) {
            await sequence.clearHistory();
            {
                const ids = promptIds(text);
                const generateNext = {
                    token: true, options: { temperature: 0 },
                    logits: fullLogits ? true : { filter: { tokens: [], includeTop: args.top } }
                };
                const steps = [];
                let input = ids.map((t, i) => i === ids.length - 1 ? [t, { generateNext }] : t);
                for (let s = 0; s < args.steps; s++) {
                    const out = await sequence.controlledEvaluate(input);
                    const next = out[input.length - 1]?.next;
                    if (next?.token == null) throw new Error(`no token at step ${s} of prompt ${JSON.stringify(text)}`);
                    const logits = next.logits; // Map token -> logit
                    const top = [...logits.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, args.top);
                    const step = { token: next.token, top: top.map(([t, l]) => [t, l]) };
                    if (fullLogits) {
                        const all = new Float32Array(nVocab ?? logits.size);
                        for (const [t, l] of logits) all[t] = l;
                        step.logits_f32_base64 = f32base64(all);
                    }
                    steps.push(step);
                    input = [[next.token, { generateNext }]];
                }
                cases.push({ prompt: text, prompt_ids: ids, tokens: steps.map((x) => x.token), steps });
                log(`threads=${threads} ${JSON.stringify(text)}: ${steps.map((x) => x.token).join(" ")}`);
            }
        }
        return { threads_requested: threads, threads_used: context.currentThreads, cases };
    } finally {
        await context.dispose();
    }
}

const runs = [];
for (const t of args.threads) runs.push(await runOnce(t, args.fullLogits && runs.length === 0));

// where the thread counts agree: per prompt, the number of leading generated tokens equal in every run
// and over those steps the largest difference of a top logit (same token) between a run and the first one
const agreement = runs[0].cases.map((c, i) => {
    let n = 0;
    while (n < c.tokens.length && runs.every((r) => r.cases[i].tokens[n] === c.tokens[n])) n++;
    let maxDiff = 0;
    for (const r of runs.slice(1)) {
        for (let s = 0; s < n; s++) {
            const other = new Map(r.cases[i].steps[s].top);
            for (const [t, l] of c.steps[s].top) {
                if (other.has(t)) maxDiff = Math.max(maxDiff, Math.abs(other.get(t) - l));
            }
        }
    }
    return { prompt: c.prompt, agreeing_prefix: n, steps: c.tokens.length, max_abs_top_logit_diff_between_runs: maxDiff };
});
const result = {
    description: "llama.cpp greedy decoding: per thread count and prompt, the generated token ids and per step the " +
        "top logits (and with full logits, all of them as base64 little-endian float32). agreement: leading generated " +
        "tokens identical across all thread counts.",
    model: path.basename(args.model),
    model_size_bytes: fs.statSync(args.model).size,
    node_llama_cpp: nlcPkg.version,
    llama_cpp_release: llama.llamaCppRelease?.release ?? null,
    settings: { steps: args.steps, top: args.top, kv_cache: args.kv, flash_attention: false, add_bos: addBos,
        n_vocab: nVocab, full_logits: args.fullLogits },
    agreement,
    runs
};
fs.writeFileSync(args.out, JSON.stringify(result) + "\n");
log(`wrote ${args.out}; agreement ${agreement.map((a) => `${a.agreeing_prefix}/${a.steps}`).join(" ")}; ` +
    `max top-logit diff between thread counts ${Math.max(...agreement.map((a) => a.max_abs_top_logit_diff_between_runs))}`);
await model.dispose();
await llama.dispose();
