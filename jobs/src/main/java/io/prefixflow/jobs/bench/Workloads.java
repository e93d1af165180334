package io.prefixflow.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates the prompts of a synthetic workload ({@link WorkloadSpec}); the same spec and count give the
 * same prompts. {@code documents} draws each request's document with Zipf weights, so a few documents are hot. Request {@code i} of a group-based workload belongs to group {@code i % numGroups}, so groups
 * interleave in arrival order.
 *
 * <p>NOTE (conversation): turns are generated up front, not after the previous reply arrives: each turn's
 * prompt is the previous turn's prompt, a synthetic assistant reply of the output length, and a new user
 * message; requests are ordered turn by turn over the sessions, and {@code cache_key} is the session id.
 */
public final class Workloads {
    private Workloads() {
    }

    /** {@code count} requests of {@code spec}. */
    public static List<BenchRequest> generate(WorkloadSpec spec, int count, SyntheticText text) {
        Random random = new Random(spec.seed());
        return switch (spec.kind()) {
            case GENERATION, SUMMARIZATION -> independent(spec, count, text, random);
            case QA, SHARED_PREFIX -> sharedPrefix(spec, count, text, random);
            case CONVERSATION -> conversation(spec, count, text, random);
            case DOCUMENTS -> documents(spec, count, text, random);
        };
    }

    private static List<BenchRequest> documents(WorkloadSpec spec, int count, SyntheticText text, Random random) {
        String system = "System: " + text.generate(Math.max(1, spec.systemLen()), random) + "\n";
        String[] documents = new String[spec.numGroups()];
        double[] cumulative = new double[documents.length];
        double total = 0;
        for (int d = 0; d < documents.length; d++) {
            documents[d] = "Document " + d + ":\n" + text.generate(spec.sharedLen().sample(random), random) + "\n";
            total += 1.0 / Math.pow(d + 1, spec.zipfExponent());
            cumulative[d] = total;
        }
        List<BenchRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble() * total;
            int d = 0;
            while (d < documents.length - 1 && cumulative[d] <= u) {
                d++;
            }
            String prompt = system + documents[d] + "Question: " + text.generate(spec.inputLen().sample(random), random);
            out.add(new BenchRequest(id(spec, i), prompt, spec.outputLen().sample(random), null));
        }
        return out;
    }

    private static List<BenchRequest> independent(WorkloadSpec spec, int count, SyntheticText text, Random random) {
        List<BenchRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new BenchRequest(id(spec, i), text.generate(spec.inputLen().sample(random), random),
                    spec.outputLen().sample(random), null));
        }
        return out;
    }

    private static List<BenchRequest> sharedPrefix(WorkloadSpec spec, int count, SyntheticText text, Random random) {
        String[] shared = new String[spec.numGroups()];
        for (int g = 0; g < shared.length; g++) {
            String label = spec.kind() == WorkloadSpec.Workload.QA ? "Document " + g + ":\n" : "System " + g + ":\n";
            shared[g] = label + text.generate(spec.sharedLen().sample(random), random) + "\n";
        }
        String lead = spec.kind() == WorkloadSpec.Workload.QA ? "Question: " : "User: ";
        List<BenchRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String prompt = shared[i % shared.length] + lead + text.generate(spec.inputLen().sample(random), random);
            out.add(new BenchRequest(id(spec, i), prompt, spec.outputLen().sample(random), null));
        }
        return out;
    }

    private static List<BenchRequest> conversation(WorkloadSpec spec, int count, SyntheticText text, Random random) {
        int sessions = Math.min(spec.numGroups(), count);
        String[] history = new String[sessions];
        java.util.Arrays.fill(history, "");
        List<BenchRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int s = i % sessions;
            String prompt = history[s] + "User: " + text.generate(spec.inputLen().sample(random), random) + "\n";
            int maxTokens = spec.outputLen().sample(random);
            out.add(new BenchRequest(id(spec, i), prompt, maxTokens, "session-" + s));
            history[s] = prompt + "Assistant: " + text.generate(maxTokens, random) + "\n";
        }
        return out;
    }

    private static String id(WorkloadSpec spec, int i) {
        return spec.kind().cliName() + "-" + spec.seed() + "-" + i;
    }
}
