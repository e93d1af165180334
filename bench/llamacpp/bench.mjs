#!/usr/bin/env node
// llama.cpp CPU throughput harness (through node-llama-cpp's prebuilt llama.cpp binaries).
//
// Measures, after a warm-up, with N threads (default 2):
//   * prefill: one evaluation of a P-token random prompt (default 512)            ~ llama-bench pp512
//   * decode at 1 sequence: G tokens (default 128) from an empty context          ~ llama-bench tg128
//   * shared-prompt batched decode at B sequences (default 1,4,16): the prompt is evaluated once in
//     sequence 0, its KV state copied into sequences 1..B-1 (llama_memory_seq_cp), then all B sequences
//     decode G tokens concurrently, one llama_decode of B tokens per step       ~ llama-batched-bench -pps
// and prints ONE JSON object on stdout (diagnostics go to stderr). See README.md.
//
// Usage: node bench.mjs --model FILE.gguf [--threads 2] [--prompt 512] [--gen 128] [--concurrency 1,4,16]
//                       [--reps 3] [--flash-attention] [--cache-type-k T] [--cache-type-v T] [--nlc-dir DIR]
//                       [--verbose]
// --cache-type-k/-v: the KV cache's element type (llama.cpp's -ctk/-ctv: f16 default, q8_0, ...); a quantized V
// cache needs --flash-attention in llama.cpp.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

// ------------------------------------------------------------------ arguments
function parseArgs(argv) {
    const a = {
        model: null, threads: 2, prompt: 512, gen: 128, concurrency: [1, 4, 16], reps: 3,
        flashAttention: false, verbose: false, seed: 1234, cacheTypeK: "F16", cacheTypeV: "F16",
        nlcDir: process.env.NLC_DIR ?? "/work/llamacpp-work/node_modules/node-llama-cpp"
    };
    for (let i = 2; i < argv.length; i++) {
        const k = argv[i], v = () => argv[++i];
        if (k === "--model") a.model = v();
        else if (k === "--threads") a.threads = parseInt(v(), 10);
        else if (k === "--prompt") a.prompt = parseInt(v(), 10);
        else if (k === "--gen") a.gen = parseInt(v(), 10);
        else if (k === "--concurrency") a.concurrency = v().split(",").map((x) => parseInt(x, 10));
        else if (k === "--reps") a.reps = parseInt(v(), 10);
        else if (k === "--seed") a.seed = parseInt(v(), 10);
        else if (k === "--flash-attention") a.flashAttention = true;
        else if (k === "--cache-type-k") a.cacheTypeK = v().toUpperCase();
        else if (k === "--cache-type-v") a.cacheTypeV = v().toUpperCase();
        else if (k === "--nlc-dir") a.nlcDir = v();
        else if (k === "--verbose") a.verbose = true;
        else throw new Error(`unknown argument ${k}`);
    }
    if (!a.model) throw new Error("--model is required");
    return a;
}
const args = parseArgs(process.argv);
const log = (...m) => console.error("[bench]", ...m);

// ------------------------------------------------------------------ helpers
function mulberry32(seed) {
    return () => {
        seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const rand = mulberry32(args.seed);
// random non-special token ids (llama-bench also feeds random ids); BOS first, as llama-bench does for add_bos vocabs
const randomTokens = (n, nVocab, bos) => Array.from({ length: n }, (_, i) =>
    (i === 0 && bos != null) ? bos : 3 + Math.floor(rand() * (nVocab - 3)));
const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const r1 = (x) => Math.round(x * 10) / 10;
// CPU time of the whole process (all threads) over wall time: ~2.0 means both ggml threads were busy.
function cpuMeter() {
    const c0 = process.cpuUsage(), t0 = performance.now();
    return () => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1000 / (performance.now() - t0); };
}
// Record the token count of every llama_decode batch node-llama-cpp builds (initBatch(n) precedes each decode).
function instrumentBatches(context) {
    const native = context._ctx;
    const orig = native.initBatch;
    const rec = { sizes: [] };
    // the native method is read-only on the prototype: shadow it with an own property of this instance
    Object.defineProperty(native, "initBatch", {
        value: function (n) { rec.sizes.push(n); return orig.call(this, n); }, configurable: true, writable: true
    });
    rec.take = () => { const s = rec.sizes; rec.sizes = []; return s; };
    return rec;
}
// CPU seconds of this process's busiest threads (ggml compute runs on a libuv worker + threads-1 ggml workers)
function busiestThreads(n = 6) {
    const hz = 100; // USER_HZ
    try {
        return fs.readdirSync("/proc/self/task").map((tid) => {
            const st = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
            const comm = st.slice(st.indexOf("(") + 1, st.lastIndexOf(")"));
            const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
            return { tid: Number(tid), comm, cpu_s: (Number(f[11]) + Number(f[12])) / hz };
        }).sort((x, y) => y.cpu_s - x.cpu_s).slice(0, n);
    } catch { return []; }
}
const histogram = (sizes) => { const h = {}; for (const s of sizes) h[s] = (h[s] ?? 0) + 1; return h; };
function loadedCpuBackend() {
    try {
        const maps = fs.readFileSync("/proc/self/maps", "utf8");
        return [...new Set(maps.split("\n").map((l) => l.match(/\/([^/\s]*ggml-cpu[^/\s]*\.so)/)?.[1]).filter(Boolean))];
    } catch { return []; }
}

// ------------------------------------------------------------------ setup
const nlcPkg = JSON.parse(fs.readFileSync(path.join(args.nlcDir, "package.json"), "utf8"));
const { getLlama, LlamaLogLevel } = await import(pathToFileURL(path.join(args.nlcDir, "dist", "index.js")).href);
let bundleCommit = null;
try {
    bundleCommit = fs.readFileSync(path.join(args.nlcDir, "llama", "gitRelease.bundle")).subarray(0, 200)
        .toString("latin1").split("\n")[1]?.split(" ")[0] ?? null;
} catch { /* no bundle */ }

const loadBefore = os.loadavg();
if (loadBefore[0] > 0.5) log(`WARNING: 1-min load average ${loadBefore[0].toFixed(2)} before the run: other processes compete for the ${os.cpus().length} CPUs, numbers will be low and noisy`);
const llamaLogs = [];
const llama = await getLlama({
    gpu: false,                  // CPU backend only
    build: "never",              // never compile llama.cpp from source: use the shipped prebuilt binaries
    usePrebuiltBinaries: true,
    skipDownload: true,          // never download anything
    progressLogs: false,
    maxThreads: args.threads,
    logLevel: LlamaLogLevel.info,
    logger: (level, msg) => { llamaLogs.push(msg.trimEnd()); if (args.verbose) process.stderr.write(`[llama.cpp ${level}] ${msg}`); }
});
const model = await llama.loadModel({ modelPath: args.model, gpuLayers: 0 });
const md = model.fileInfo?.metadata ?? {};
const nVocab = Number(md[md.general?.architecture ?? "llama"]?.vocab_size ?? md.tokenizer?.ggml?.tokens?.length ?? 32000);
const bos = model.tokens.bos ?? null;
const P = args.prompt, G = args.gen;
const ctxPerSeq = Math.max(640, P + G + 8);
log(`model ${path.basename(args.model)} loaded; node-llama-cpp ${nlcPkg.version}, llama.cpp ${llama.llamaCppRelease.release}; ` +
    `cpu backend ${loadedCpuBackend().join(",")}; threads ${args.threads}; P=${P} G=${G} reps=${args.reps}`);

// Batching control. node-llama-cpp queues each sequence's evaluation separately and, by default, dispatches a
// llama_decode on the next event-loop cycle with whatever is queued by then; sequences whose sampling finished a
// little later then fall into a separate, smaller batch. For a faithful "B tokens per llama_decode" decode we
// (a) advance all B sequences in lock-step (next token requested only after every sequence got its previous one) and
// (b) use a custom dispatch schedule that dispatches only once `active` sequences have queued an evaluation.
// The batch sizes actually decoded are recorded (initBatch) and reported, so this can be checked in the output.
async function makeContext(sequences) {
    const ctl = { active: 1, polls: 0 };
    let context = null;
    const dispatchSchedule = (dispatch) => {
        const check = () => {
            const queued = context?._queuedDecodeSequenceIds?.size ?? ctl.active;
            // dispatch when every active sequence has queued; also when nothing is queued (e.g. after dispose),
            // so this never polls forever
            if (queued >= ctl.active || queued === 0 || context?.disposed) dispatch();
            else { ctl.polls++; setImmediate(check); }
        };
        check();
    };
    context = await model.createContext({
        contextSize: ctxPerSeq,                       // per sequence (node-llama-cpp allocates contextSize * sequences cells)
        batchSize: 512,                               // n_batch = n_ubatch = 512 (llama-bench default ubatch)
        sequences,
        threads: { ideal: args.threads, min: args.threads },
        flashAttention: args.flashAttention,          // default off: the anchor runs used flash_attn = 0
        experimentalKvCacheKeyType: args.cacheTypeK,
        experimentalKvCacheValueType: args.cacheTypeV,
        batching: { dispatchSchedule },
        ignoreMemorySafetyChecks: true
    });
    return { context, ctl, rec: instrumentBatches(context) };
}
// Decode `gen` tokens on every sequence in lock-step; returns the generated ids per sequence.
async function lockStepDecode(seqs, firstTokens, gen, ctl) {
    ctl.active = seqs.length;
    const its = seqs.map((s, i) => s.evaluate([firstTokens[i]], { temperature: 0 })[Symbol.asyncIterator]());
    const outs = seqs.map(() => []);
    try {
        for (let step = 0; step < gen; step++) {
            // let node-llama-cpp's dispatch loop finish its bookkeeping for the previous batch first
            await new Promise((r) => setImmediate(r));
            const res = await Promise.all(its.map((it) => it.next()));
            let done = false;
            res.forEach((r, i) => { if (r.done) done = true; else outs[i].push(r.value); });
            if (done) break;
        }
    } finally {
        await Promise.all(its.map((it) => it.return?.()));
        ctl.active = 1;
    }
    return outs;
}
const threadsSeen = new Set();
const cpuUtil = {};

// ------------------------------------------------------------------ 1) prefill (pp) and 2) decode at 1 sequence (tg)
const prompt = randomTokens(P, nVocab, bos);
let prefillRuns = [], tgRuns = [], sampleTokens = [], prefillBatches = [], tgBatches = [];
{
    const { context, ctl, rec } = await makeContext(1);
    const seq = context.getSequence();
    // warm-up: one prompt evaluation + a few decode steps (llama-bench also runs one warm-up pp and tg)
    await seq.evaluateWithoutGeneratingNewTokens(prompt);
    await seq.clearHistory();
    await lockStepDecode([seq], [bos ?? 1], Math.min(G, 8), ctl);
    await seq.clearHistory();
    rec.take();

    for (let r = 0; r < args.reps; r++) {
        await seq.clearHistory();
        const cpu = cpuMeter();
        const t0 = performance.now();
        await seq.evaluateWithoutGeneratingNewTokens(prompt);
        const dt = (performance.now() - t0) / 1000;
        cpuUtil.prefill = Math.round(cpu() * 100) / 100;
        prefillRuns.push(P / dt);
        prefillBatches.push(...rec.take());
    }
    threadsSeen.add(context.currentThreads);

    for (let r = 0; r < args.reps; r++) {
        await seq.clearHistory();
        const cpu = cpuMeter();
        const t0 = performance.now();
        // each generated token = one llama_decode of 1 token (logits of that token) + greedy sampling
        const [toks] = await lockStepDecode([seq], [bos ?? 1], G, ctl);
        const dt = (performance.now() - t0) / 1000;
        cpuUtil.decode_c1 = Math.round(cpu() * 100) / 100;
        if (toks.length < G) log(`WARNING: generation stopped after ${toks.length} tokens`);
        tgRuns.push(toks.length / dt);
        sampleTokens = toks.slice(0, 16);
        tgBatches.push(...rec.take());
    }
    threadsSeen.add(context.currentThreads);
    await context.dispose();
}
log(`prefill ${prefillRuns.map(r1).join(" ")} t/s; tg ${tgRuns.map(r1).join(" ")} t/s; sample ids ${sampleTokens.join(",")}`);

// ------------------------------------------------------------------ 3) shared-prompt batched decode (-pps)
const batched = [];
const batchedSamples = {};
for (const B of args.concurrency) {
    const { context, ctl, rec } = await makeContext(B);
    const seqs = Array.from({ length: B }, () => context.getSequence());
    const runOnce = async (gen) => {
        for (const s of seqs) await s.clearHistory();
        const t0 = performance.now();
        await seqs[0].evaluateWithoutGeneratingNewTokens(prompt);
        const tPrompt = performance.now();
        for (let i = 1; i < B; i++) {
            // internal API: llama_memory_seq_cp(seq 0 -> seq i), what batched-bench -pps does
            const ok = await seqs[i]._copyStateFromOtherSequence(seqs[0], P);
            if (!ok) throw new Error(`KV copy 0 -> ${i} failed`);
        }
        const tCopy = performance.now();
        rec.take();
        // B sequences in lock-step: one llama_decode of B tokens (one per sequence) per step
        const outs = await lockStepDecode(seqs, seqs.map((_, i) => 3 + i), gen, ctl);
        const tEnd = performance.now();
        const nGen = outs.reduce((n, o) => n + o.length, 0);
        return {
            pp_s: (tPrompt - t0) / 1000, copy_s: (tCopy - tPrompt) / 1000, tg_s: (tEnd - tCopy) / 1000,
            nGen, outs, batches: rec.take()
        };
    };
    await runOnce(Math.min(G, 8)); // warm-up
    const runs = [];
    for (let r = 0; r < args.reps; r++) runs.push(await runOnce(G));
    threadsSeen.add(context.currentThreads);
    const last = runs[runs.length - 1];
    batchedSamples[`B${B}`] = last.outs.slice(0, 2).map((o) => o.slice(0, 8));
    const tgRates = runs.map((x) => x.nGen / x.tg_s);
    const ppRates = runs.map((x) => P / (x.pp_s + x.copy_s));
    batched.push({
        sequences: B,
        pp_tokens_per_s: r1(median(ppRates)),                 // like S_PP (prompt decode + seq copies)
        pp_runs: ppRates.map(r1),
        seq_copy_ms: r1(median(runs.map((x) => x.copy_s * 1000))),
        tg_tokens_per_s: r1(median(tgRates)),                 // like S_TG: aggregate generated tokens / s
        tg_runs: tgRates.map(r1),
        generated_tokens_per_run: last.nGen,
        decode_batch_sizes: histogram(last.batches)           // {tokens per llama_decode: count}; expect {B: G}
    });
    log(`B=${B}: S_PP ${ppRates.map(r1).join(" ")} S_TG ${tgRates.map(r1).join(" ")} batches ${JSON.stringify(histogram(last.batches))} dispatch-polls ${ctl.polls}`);
    await context.dispose();
}

// ------------------------------------------------------------------ report
const sysInfo = llama.systemInfo;
const cpuFeatures = (sysInfo.match(/CPU\s*:\s*([^\n]*)/)?.[1] ?? sysInfo).split("|").map((s) => s.trim())
    .filter((s) => /=\s*1$/.test(s)).map((s) => s.replace(/\s*=\s*1$/, ""));
const out = {
    engine: "llama.cpp (node-llama-cpp prebuilt, CPU)",
    model: path.basename(args.model),
    model_file_bytes: fs.statSync(args.model).size,
    threads: args.threads,
    threads_reported_by_llama_cpp: [...threadsSeen],
    prompt_tokens: P,
    gen_tokens: G,
    reps: args.reps,
    flash_attention: args.flashAttention,
    kv_cache: `K ${args.cacheTypeK.toLowerCase()}, V ${args.cacheTypeV.toLowerCase()}, per-sequence streams (kv_unified=false)`,
    prefill_tokens_per_s: r1(median(prefillRuns)),
    prefill_runs: prefillRuns.map(r1),
    prefill_decode_batch_sizes: histogram(prefillBatches),
    decode: [
        { concurrency: 1, tokens_per_s: r1(median(tgRuns)), runs: tgRuns.map(r1), kv_start: 0, like: `llama-bench tg${G}`,
          decode_batch_sizes: histogram(tgBatches.slice(-G)) },
        ...batched.filter((b) => b.sequences > 1).map((b) => ({
            concurrency: b.sequences, tokens_per_s: b.tg_tokens_per_s, runs: b.tg_runs, kv_start: P,
            like: `llama-batched-bench -pps -npp ${P} -ntg ${G} -npl ${b.sequences}`
        }))
    ],
    batched_pps: batched,
    cpu_utilization: cpuUtil,
    busiest_threads: busiestThreads(),
    loadavg_before: loadBefore.map((x) => Math.round(x * 100) / 100),
    loadavg_after: os.loadavg().map((x) => Math.round(x * 100) / 100),   // expect `threads` threads with most of the CPU time   // process CPU time / wall time in the last run (2 threads busy ~ 2.0)
    sample_generated_token_ids: sampleTokens,
    sample_generated_text: model.detokenize(sampleTokens),
    sample_batched_token_ids: batchedSamples,
    llama_cpp_build: `${llama.llamaCppRelease.repo} ${llama.llamaCppRelease.release}` +
        (bundleCommit ? ` (source bundle commit ${bundleCommit})` : "") + `, ${llama.buildType}`,
    node_llama_cpp_version: nlcPkg.version,
    cpu_backend_library: loadedCpuBackend(),
    cpu_features: cpuFeatures,
    system_info: sysInfo,
    llama_cpp_log_notes: [...new Set(llamaLogs.filter((l) => /repack|AMX|CPU_|n_threads|flash_attn|n_ctx|n_batch|n_ubatch|n_seq|kv_unified|type_k|model buffer|KV buffer|compute buffer/i.test(l)))].slice(0, 40)
};
console.log(JSON.stringify(out, null, 2));
await model.dispose();
await llama.dispose();
process.exit(0);
