package io.prefixflow.jobs.bench;

/**
 * The parameters of a synthetic workload ({@link Workloads}); each workload reads the ones it needs.
 *
 * @param kind             which workload
 * @param inputLen         the per-request input: the whole prompt (generation, summarization), the question
 *                         (qa, shared-prefix) or the new user message (conversation)
 * @param outputLen        tokens to generate
 * @param sharedLen        the shared part: document (qa, documents), system prompt (shared-prefix)
 * @param numGroups        documents (qa, documents), sessions (conversation), groups (shared-prefix)
 * @param seed             seed of every random choice
 * @param systemLen        documents: tokens of the system prompt in front of every document
 * @param zipfExponent     documents: document {@code d} (from 0) is drawn with weight {@code 1 / (d + 1)^s}
 */
public record WorkloadSpec(Workload kind, LengthSpec inputLen, LengthSpec outputLen, LengthSpec sharedLen,
                           int numGroups, long seed, int systemLen, double zipfExponent) {
    /** Default system prompt of the documents workload, tokens. */
    public static final int DEFAULT_SYSTEM_LEN = 384;
    /** Default skew of the documents workload. */
    public static final double DEFAULT_ZIPF = 1.1;

    public WorkloadSpec {
        if (numGroups < 1) {
            throw new IllegalArgumentException("--num-groups must be >= 1, got " + numGroups);
        }
        if (systemLen < 0) {
            throw new IllegalArgumentException("--system-len must be >= 0, got " + systemLen);
        }
        if (!(zipfExponent >= 0) || Double.isInfinite(zipfExponent)) {
            throw new IllegalArgumentException("--zipf must be a finite exponent >= 0, got " + zipfExponent);
        }
    }

    /** A spec with the documents workload's defaults for its system prompt and skew. */
    public WorkloadSpec(Workload kind, LengthSpec inputLen, LengthSpec outputLen, LengthSpec sharedLen,
                        int numGroups, long seed) {
        this(kind, inputLen, outputLen, sharedLen, numGroups, seed, DEFAULT_SYSTEM_LEN, DEFAULT_ZIPF);
    }

    /** The workloads. */
    public enum Workload {
        /** Short prompt, long output. */
        GENERATION(32, 256, 0, 1),
        /** Long document, short output. */
        SUMMARIZATION(768, 32, 0, 1),
        /** A few long shared documents, many short questions over each. */
        QA(32, 32, 512, 4),
        /** Multi-turn sessions: each turn's prompt is the history so far plus a new user message. */
        CONVERSATION(48, 48, 0, 8),
        /** Groups sharing a system prompt, SGLang's generated-shared-prefix. */
        SHARED_PREFIX(32, 16, 256, 4),
        /**
         * One long system prompt, then one of several documents of Zipf-skewed popularity, then a question:
         * real applications, where the hot system prompt and the hot documents both need placing.
         */
        DOCUMENTS(32, 16, 512, 12);

        /** Default tokens of the per-request input. */
        public final int defaultInputLen;
        /** Default tokens to generate. */
        public final int defaultOutputLen;
        /** Default tokens of the shared part (0: none). */
        public final int defaultSharedLen;
        /** Default number of groups. */
        public final int defaultGroups;

        Workload(int inputLen, int outputLen, int sharedLen, int groups) {
            this.defaultInputLen = inputLen;
            this.defaultOutputLen = outputLen;
            this.defaultSharedLen = sharedLen;
            this.defaultGroups = groups;
        }

        /** Parses a command-line name like {@code shared-prefix}. */
        public static Workload parse(String name) {
            for (Workload w : values()) {
                if (w.cliName().equals(name)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("--workload " + name + ": expected one of generation,"
                    + " summarization, qa, conversation, shared-prefix, documents");
        }

        /** The command-line name. */
        public String cliName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
