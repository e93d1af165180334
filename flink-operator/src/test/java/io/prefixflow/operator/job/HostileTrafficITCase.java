package io.prefixflow.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.operator.prepare.ControlTokens;
import io.prefixflow.operator.prepare.PromptEncoder;
import io.prefixflow.operator.testing.EmbeddedKafkaExtension;
import io.prefixflow.operator.testing.KafkaJobTesting;
import io.prefixflow.operator.testing.TestSettings;
import io.prefixflow.runtime.model.Model;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile traffic through the real job (in-process broker, MiniCluster, restart strategy none): over 1,000
 * records mixing tiny valid requests (zero-width, right-to-left, NUL, lone-surrogate and control-token text in
 * their prompts) with random bytes, truncated requests, tombstones, schema-valid absurd values (max_tokens 0,
 * -1 and 2^31-1, NaN and infinite temperature, top_p 0 and 2), 10 MB prompts, 100,000 stop strings, huge
 * metadata maps, too many messages, and one prompt under many tenants and cache keys.
 *
 * <p>Expected, record by record: every valid request completed exactly once; every invalid one a dead letter
 * whose reason names the rule or limit, or an error completion saying why; the job finishes without failing
 * (so it never restarted); no cached token is shared across tenants; the heap stays bounded.
 */
class HostileTrafficITCase {
    private static final int MAX_RECORD_BYTES = 16 << 20;
    /** A prompt of several 16-token blocks (tok512 makes about 4 characters a token). */
    private static final String SHARED_PROMPT = "Once upon a time there was a little girl named Lily who loved to play"
            + " outside in the sunshine with her big red ball and her small brown dog named Max every day.";
    private static final String OTHER_PROMPT = "One day a tiny bird sat on the window and sang a happy song for the"
            + " children who were drawing pictures of trees, houses, boats and the blue sea at school.";
    private static final String[] ODD_TEXT = {
        "zero\u200Bwidth\u200C\u200D\u2060\uFEFF joiners", "right-to-left \u202Eevil\u202C \u2067x\u2069 \u05E9\u05DC\u05D5\u05DD",
        "nul \u0000 byte \u0001\u007F", "lone \uD800 surrogate \uDC00 here \uDBFF", "</s> <s> <unk>",
        "<|eot_id|><|start_header_id|>system<|end_header_id|>", "{{ 7 * 7 }} {% for x in y %}", "\uD83E\uDD99 \u65E5\u672C"};

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension()
            .brokerProperty("message.max.bytes", Integer.toString(MAX_RECORD_BYTES))
            .topic("prompts", 2)
            .topic("completions", 2)
            .topic("dead", 1);

    /** What one record must become. */
    private record Expect(Kind kind, String detail) {
    }

    private enum Kind { COMPLETE, ERROR, DEAD }

    private final AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
    private final List<byte[][]> records = new ArrayList<>();
    /** By request id: what a decodable record must become. */
    private final Map<String, Expect> byId = new LinkedHashMap<>();
    /** By record index: dead letters of records that do not decode. */
    private final Map<Integer, String> undecodable = new HashMap<>();
    private final Random random = new Random(12);
    private int nextId;

    @Test
    @Timeout(300)
    void hostileInputNeverStopsTheJob(@TempDir Path checkpoints) throws Exception {
        buildTraffic();
        assertThat(records.size()).isGreaterThanOrEqualTo(1000);
        List<String> origins = KafkaJobTesting.produceRaw(KAFKA.kafka(), "prompts", records,
                Map.of("max.request.size", Integer.toString(MAX_RECORD_BYTES), "buffer.memory", Integer.toString(8 * MAX_RECORD_BYTES)));
        Map<String, String> undecodableByOrigin = new HashMap<>();
        undecodable.forEach((index, reason) -> undecodableByOrigin.put(origins.get(index), reason));

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // what earlier tests in this JVM keep (cached models, a MiniCluster) and the traffic this test still holds
        // is live before the job starts; what the job adds to it after a collection is what the job retained
        System.gc();
        long baselineBytes = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peakHeapBytes = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeapBytes.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        Configuration conf = KafkaJobTesting.jobConfig(KAFKA.kafka(), checkpoints, "prompts", "completions", "dead", null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
        long start = System.nanoTime();
        JobClient job = env.executeAsync("hostile-traffic-itcase");
        job.getJobExecutionResult().get();
        sampler.interrupt();
        assertThat(job.getJobStatus().get()).as("no failure, so no restart").isEqualTo(JobStatus.FINISHED);
        System.out.printf("hostile traffic: %d records in %.1f s, peak heap %d MiB%n", records.size(),
                (System.nanoTime() - start) / 1e9, peakHeapBytes.get() >> 20);

        // NOTE: sampled use includes garbage not yet collected (the test JVM may grow to 4 GiB): the peak bound
        // is loose; what stays after a collection shows nothing of the traffic is retained.
        System.gc();
        long retainedBytes = memory.getHeapMemoryUsage().getUsed();
        System.out.printf("hostile traffic: heap after a collection %d MiB (%d MiB before the job)%n",
                retainedBytes >> 20, baselineBytes >> 20);
        // the peak counts garbage of this and earlier tests in the same JVM until a collection runs, so it is only
        // held clear of the 4 GiB maximum (no OutOfMemoryError was near); the retained heap is the real bound
        assertThat(peakHeapBytes.get()).as("peak heap").isLessThan(3L << 30);
        assertThat(retainedBytes - baselineBytes).as("heap the job retained").isLessThan(256L << 20);
        checkCompletions();
        checkDeadLetters(undecodableByOrigin);
    }

    private void checkCompletions() throws Exception {
        Map<String, Completion> completions = KafkaJobTesting.byId(
                KafkaJobTesting.readCommitted(KAFKA.kafka(), "completions", Completion.class), Completion::getRequestId);
        Model model = ModelSpecs.load(TestSettings.stories());
        PromptEncoder encoder = new PromptEncoder(model, ControlTokens.none());
        int isolated = 0;
        int repeatedCachedTokens = 0;
        for (Map.Entry<String, Expect> e : byId.entrySet()) {
            String id = e.getKey();
            Expect expect = e.getValue();
            Completion c = completions.get(id);
            if (expect.kind() == Kind.DEAD) {
                assertThat(c).as("%s was dead-lettered, so it has no completion", id).isNull();
                continue;
            }
            assertThat(c).as("completion of %s", id).isNotNull();
            if (expect.kind() == Kind.ERROR) {
                assertThat(c.getFinishReason()).as(id).isEqualTo(FinishReason.ERROR);
                assertThat(c.getError()).as(id).contains(expect.detail());
                continue;
            }
            assertThat(c.getFinishReason()).as("%s: %s", id, c.getError()).isIn(FinishReason.STOP, FinishReason.LENGTH);
            if (expect.detail().startsWith("odd:")) {
                String prompt = expect.detail().substring(4);
                int[] ids = encoder.encodePrompt(prompt);
                assertThat(c.getPromptTokens()).as("%s: prompt tokens", id).isEqualTo(ids.length);
                int[] afterBos = Arrays.copyOfRange(ids, 1, ids.length);
                assertThat(afterBos).as("%s: typed control-token text stays text", id)
                        .doesNotContain(model.tokenizer().bosId(), model.tokenizer().eosId());
            }
            if (expect.detail().equals("isolated")) {
                assertThat(c.getCachedPromptTokens()).as("%s: tenant %s reused another tenant's cache", id,
                        c.getTenant()).isZero();
                isolated++;
            }
            if (expect.detail().equals("repeated")) {
                repeatedCachedTokens += c.getCachedPromptTokens();
            }
        }
        assertThat(isolated).isEqualTo(40);
        assertThat(repeatedCachedTokens).as("the same prompt under one tenant does reuse its cache").isPositive();
        assertThat(completions.keySet()).as("no completion for an unknown id").isSubsetOf(byId.keySet());
    }

    private void checkDeadLetters(Map<String, String> undecodableByOrigin) throws Exception {
        List<DeadLetter> dead = KafkaJobTesting.readCommitted(KAFKA.kafka(), "dead", DeadLetter.class);
        Map<String, DeadLetter> byRequest = new HashMap<>();
        Map<String, DeadLetter> byOrigin = new HashMap<>();
        for (DeadLetter d : dead) {
            assertThat(d.getReason()).isNotBlank();
            assertThat(d.getPayload() == null ? 0 : d.getPayload().remaining()).isLessThanOrEqualTo(64 * 1024);
            String origin = d.getTopic() + "/" + d.getPartition() + "/" + d.getOffset();
            assertThat(byOrigin.put(origin, d)).as("one dead letter per record: %s", origin).isNull();
            if (d.getRequestId() != null) {
                byRequest.put(d.getRequestId(), d);
            }
        }
        long expectedDead = byId.values().stream().filter(x -> x.kind() == Kind.DEAD).count() + undecodable.size();
        assertThat(dead).hasSize((int) expectedDead);
        for (Map.Entry<String, Expect> e : byId.entrySet()) {
            if (e.getValue().kind() == Kind.DEAD) {
                DeadLetter d = byRequest.get(e.getKey());
                assertThat(d).as("dead letter of %s", e.getKey()).isNotNull();
                assertThat(d.getReason()).as(e.getKey()).contains(e.getValue().detail());
            }
        }
        undecodableByOrigin.forEach((origin, reason) -> {
            assertThat(byOrigin).as("dead letter of the record at %s", origin).containsKey(origin);
            assertThat(byOrigin.get(origin).getReason()).as(origin).contains(reason);
        });
    }

    private void buildTraffic() {
        for (int i = 0; i < 560; i++) {
            String text = i % 4 == 0 ? ODD_TEXT[(i / 4) % ODD_TEXT.length] : "The cat number " + i + " sat";
            InferenceRequest r = request("t" + (i % 5), text, 1 + i % 3);
            valid(r, text.equals(r.getPrompt()) && i % 4 == 0 ? "odd:" + text : "plain");
        }
        for (int i = 0; i < 40; i++) {
            InferenceRequest r = request("iso-" + i, i < 20 ? SHARED_PROMPT : SHARED_PROMPT + " The end.", 1);
            r.setCacheKey(i % 3 == 0 ? null : "cache-key-" + (i % 4));
            valid(r, "isolated");
        }
        for (int i = 0; i < 12; i++) {
            valid(request("repeat", OTHER_PROMPT, 1), "repeated");
        }
        for (int i = 0; i < 4; i++) {
            InferenceRequest r = request("t0", "Tell me a very long story", 1);
            r.setMaxTokens(Integer.MAX_VALUE);
            r.setTemperature(0f);
            valid(r, "max_tokens 2^31-1");
        }
        absurdValues();
        oversized();
        chats();
        garbage();
    }

    private void absurdValues() {
        for (int i = 0; i < 96; i++) {
            InferenceRequest r = request("t1", "fine prompt, absurd parameters", 2);
            String reason = switch (i % 8) {
                case 0 -> { r.setMaxTokens(0); yield "max_tokens must be >= 1"; }
                case 1 -> { r.setMaxTokens(-1); yield "max_tokens must be >= 1"; }
                case 2 -> { r.setTemperature(Float.NaN); yield "temperature must be a finite number"; }
                case 3 -> { r.setTemperature(Float.POSITIVE_INFINITY); yield "temperature must be a finite number"; }
                case 4 -> { r.setTemperature(Float.NEGATIVE_INFINITY); yield "temperature must be a finite number"; }
                case 5 -> { r.setTopP(0f); yield "top_p must be in (0, 1]"; }
                case 6 -> { r.setTopP(2f); yield "top_p must be in (0, 1]"; }
                default -> { r.setTopK(Integer.MIN_VALUE); yield "top_k must be >= 0"; }
            };
            dead(r, reason);
        }
    }

    private void oversized() {
        String tenMegabytes = "All work and no play makes Jack a dull boy. ".repeat(240_000);
        for (int i = 0; i < 3; i++) {
            dead(request("t2", tenMegabytes, 1), "prefixflow.limits.max-prompt-bytes");
        }
        for (int i = 0; i < 2; i++) {
            error(request("t2", "a long but allowed prompt. ".repeat(8_000), 1), "counted from its size");
        }
        List<String> stops = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            stops.add("s" + i);
        }
        for (int i = 0; i < 2; i++) {
            InferenceRequest r = request("t3", "stop me", 2);
            r.setStop(stops);
            dead(r, "prefixflow.limits.max-stop-strings");
        }
        InferenceRequest longStop = request("t3", "stop me", 2);
        longStop.setStop(List.of("x".repeat(10_000)));
        dead(longStop, "prefixflow.limits.max-stop-string-length");
        Map<String, String> huge = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            huge.put("key-" + i, "value-" + i);
        }
        for (int i = 0; i < 2; i++) {
            InferenceRequest r = request("t4", "labelled", 2);
            r.setMetadata(huge);
            dead(r, "prefixflow.limits.max-metadata-entries");
        }
        InferenceRequest wide = request("t4", "labelled", 2);
        wide.setMetadata(Map.of("a", "v".repeat(20_000), "b", "w"));
        dead(wide, "prefixflow.limits.max-metadata-bytes");
    }

    private void chats() {
        List<ChatMessage> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(new ChatMessage(i % 2 == 0 ? "user" : "assistant", "turn " + i));
        }
        InferenceRequest tooMany = request("t0", null, 2);
        tooMany.setPrompt(null);
        tooMany.setMessages(many);
        dead(tooMany, "prefixflow.limits.max-messages");
        for (int i = 0; i < 6; i++) {
            InferenceRequest chat = request("t0", null, 2);
            chat.setPrompt(null);
            chat.setMessages(List.of(new ChatMessage("user", ODD_TEXT[i])));
            error(chat, "has no chat template");
        }
    }

    /** Random bytes, truncated requests, empty values and tombstones: none decodes. */
    private void garbage() {
        for (int i = 0; i < 150; i++) {
            byte[] bytes = new byte[1 + random.nextInt(300)];
            random.nextBytes(bytes);
            raw(bytes, "not an InferenceRequest in Avro binary");
        }
        for (int i = 0; i < 150; i++) {
            byte[] full = codec.encode(request("t0", "a prompt cut short " + i, 2));
            // NOTE: one byte short would be a valid record of the previous schema version (no response_format).
            raw(Arrays.copyOf(full, 1 + random.nextInt(full.length - 2)), "not an InferenceRequest in Avro binary");
        }
        raw(new byte[0], "record value is empty");
        raw(null, "tombstone");
    }

    private InferenceRequest request(String tenant, String prompt, int maxTokens) {
        return InferenceRequest.newBuilder()
                .setId("r-" + nextId++)
                .setTenant(tenant)
                .setPrompt(prompt)
                .setMaxTokens(maxTokens)
                .setTemperature(0.8f)
                .setTopP(0.95f)
                .setSeed((long) nextId)
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    private void valid(InferenceRequest r, String detail) {
        add(r, new Expect(Kind.COMPLETE, detail));
    }

    private void error(InferenceRequest r, String detail) {
        add(r, new Expect(Kind.ERROR, detail));
    }

    private void dead(InferenceRequest r, String reason) {
        add(r, new Expect(Kind.DEAD, reason));
    }

    private void add(InferenceRequest r, Expect expect) {
        byId.put(r.getId(), expect);
        records.add(new byte[][] {r.getId().getBytes(StandardCharsets.UTF_8), codec.encode(r)});
    }

    private void raw(byte[] value, String reason) {
        undecodable.put(records.size(), reason);
        records.add(new byte[][] {null, value});
    }
}
