package io.prefixflow.operator.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.operator.testing.KafkaJobTesting;
import io.prefixflow.operator.testing.SharedData;
import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.generate.GenerationResult;
import io.prefixflow.runtime.generate.Generator;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.tokenizer.DefaultTokenizerFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VALUES → {@code ML_PREDICT} on a {@code prefixflow} model over the shared stories260K GGUF, on a MiniCluster:
 * the completions equal what {@code generate} (the {@link Generator}) gives for the same prompts and settings,
 * in async and sync mode; bad rows are error rows, not failures; the slot engines are closed at the end.
 */
class MlPredictITCase {
    private static final int CONTEXT_LENGTH = 512;
    private static final int MAX_TOKENS = 24;
    private static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "Lily went to the park",
            "One day, a cat");

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(2);

    private static String modelPath;
    private static Map<String, GenerationResult> expected;

    @BeforeAll
    static void generateTheExpectedCompletions() throws Exception {
        modelPath = SharedData.model("stories260K.gguf").toString();
        Model model = ModelLoader.load(modelPath, null, null, new DefaultTokenizerFactory())
                .withContextLength(CONTEXT_LENGTH);
        int numBlocks = (CONTEXT_LENGTH + 15) / 16;
        expected = new HashMap<>();
        try (CpuModelRunner runner = new CpuModelRunner(model.config(), model.weights(), 16, numBlocks, 1)) {
            Generator generator = new Generator(model, runner, new BlockPool(numBlocks), 512);
            for (String prompt : PROMPTS) {
                int[] ids = model.tokenizer().encode(prompt, model.tokenizer().addBosByDefault());
                expected.put(prompt, generator.generate(ids, SamplingParams.greedy(MAX_TOKENS), (t, d) -> { }));
            }
        }
    }

    @Test
    @Timeout(180)
    void completionsEqualGenerateInAsyncMode() throws Exception {
        checkCompletions(tableEnv(2), "");
    }

    @Test
    @Timeout(180)
    void completionsEqualGenerateInSyncMode() throws Exception {
        checkCompletions(tableEnv(1), ", MAP['async', 'false']");
    }

    @Test
    @Timeout(180)
    void badRowsBecomeErrorRowsAndTheJobFinishes() throws Exception {
        TableEnvironment env = tableEnv(1);
        createModel(env, "m", "completion STRING, finish_reason STRING, error STRING, prompt_tokens INT");
        env.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT * FROM (VALUES"
                + " ('good', 'Once upon a time'),"
                + " ('null', CAST(NULL AS STRING)),"
                + " ('long', '" + "a story about a cat. ".repeat(200) + "')) AS t(id, prompt)");
        Map<String, Row> rows = collectById(env.executeSql("SELECT id, completion, finish_reason, error,"
                + " prompt_tokens FROM ML_PREDICT(TABLE prompts, MODEL m, DESCRIPTOR(prompt))"));

        assertThat(rows).containsOnlyKeys("good", "null", "long");
        assertThat(rows.get("good").getField("completion")).isEqualTo(expected.get("Once upon a time").text());
        assertThat(rows.get("good").getField("error")).isNull();
        assertThat(rows.get("null").getField("completion")).isEqualTo("");
        assertThat(rows.get("null").getField("finish_reason")).isEqualTo("error");
        assertThat((String) rows.get("null").getField("error")).contains("NULL");
        assertThat(rows.get("long").getField("completion")).isEqualTo("");
        assertThat(rows.get("long").getField("finish_reason")).isEqualTo("error");
        assertThat((String) rows.get("long").getField("error")).isNotBlank();
        assertThat((Integer) rows.get("long").getField("prompt_tokens")).isGreaterThan(CONTEXT_LENGTH);
        assertNoEngineLeft();
    }

    @Test
    @Timeout(180)
    void rowsOfOneSlotShareThePrefixCache() throws Exception {
        TableEnvironment env = tableEnv(1);
        createModel(env, "m", "completion STRING, prompt_tokens INT, cached_prompt_tokens INT");
        String prefix = "Once upon a time there was a little girl named Lily who loved to play in the park with her"
                + " dog and her friends every day";
        env.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT * FROM (VALUES"
                + " ('a', '" + prefix + " and one day'), ('b', '" + prefix + " and then')) AS t(id, prompt)");
        Map<String, Row> rows = collectById(env.executeSql("SELECT id, prompt_tokens, cached_prompt_tokens"
                + " FROM ML_PREDICT(TABLE prompts, MODEL m, DESCRIPTOR(prompt), MAP['async', 'false'])"));

        // Sync mode serves the rows one after the other on the one engine, so the second finds the first's blocks.
        int cached = (Integer) rows.get("a").getField("cached_prompt_tokens")
                + (Integer) rows.get("b").getField("cached_prompt_tokens");
        assertThat((Integer) rows.get("a").getField("prompt_tokens")).isGreaterThan(32);
        assertThat(cached).isGreaterThanOrEqualTo(32);
    }

    @Test
    @Timeout(180)
    void responseFormatConstrainsEveryCompletion() throws Exception {
        TableEnvironment env = tableEnv(1);
        env.executeSql("CREATE MODEL weather INPUT (prompt STRING) OUTPUT (completion STRING, finish_reason STRING)"
                + " WITH ('provider' = 'prefixflow', 'model' = '" + modelPath + "', 'context-length' = '"
                + CONTEXT_LENGTH + "', 'max-tokens' = '16', 'temperature' = '0.8', 'seed' = '3',"
                + " 'response-format' = '{\"type\":\"choice\",\"choices\":[\"sunny\",\"rainy\",\"cloudy\"]}')");
        env.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT * FROM (VALUES ('a', 'The sky was'),"
                + " ('b', 'Once upon a time'), ('c', 'Tom looked out of the window and said')) AS t(id, prompt)");
        Map<String, Row> rows = collectById(env.executeSql("SELECT id, completion, finish_reason"
                + " FROM ML_PREDICT(TABLE prompts, MODEL weather, DESCRIPTOR(prompt))"));
        assertThat(rows).hasSize(3);
        for (Row row : rows.values()) {
            assertThat((String) row.getField("completion")).isIn("sunny", "rainy", "cloudy");
            assertThat(row.getField("finish_reason")).isEqualTo("stop");
        }
        assertNoEngineLeft();
    }

    @Test
    void badResponseFormatIsAnErrorNamingTheOption() {
        TableEnvironment env = tableEnv(1);
        env.executeSql("CREATE MODEL m INPUT (prompt STRING) OUTPUT (completion STRING) WITH ('provider' = 'prefixflow',"
                + " 'model' = '" + modelPath + "', 'response-format' = '{\"type\":\"choice\"')");
        env.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT * FROM (VALUES ('p', 'hi')) AS t(id, prompt)");
        assertThatThrownBy(() -> env.explainSql("SELECT * FROM ML_PREDICT(TABLE prompts, MODEL m, DESCRIPTOR(prompt))"))
                .satisfies(e -> assertThat(messages(e)).contains("'response-format' is not a response format"));
    }

    @Test
    void unknownOutputColumnIsAnErrorNamingIt() {
        TableEnvironment env = tableEnv(1);
        createModel(env, "m", "completion STRING, bogus STRING");
        env.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT * FROM (VALUES ('p', 'hi')) AS t(id, prompt)");
        assertThatThrownBy(() -> env.explainSql("SELECT * FROM ML_PREDICT(TABLE prompts, MODEL m, DESCRIPTOR(prompt))"))
                .satisfies(e -> assertThat(messages(e)).contains("unknown output column 'bogus'"));
    }

    @Test
    void badOptionIsAnErrorNamingIt() {
        TableEnvironment env = tableEnv(1);
        env.executeSql("CREATE MODEL m INPUT (prompt STRING) OUTPUT (completion STRING) WITH ('provider' = 'prefixflow',"
                + " 'model' = '" + modelPath + "', 'top-p' = '1.5')");
        env.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT * FROM (VALUES ('p', 'hi')) AS t(id, prompt)");
        assertThatThrownBy(() -> env.explainSql("SELECT * FROM ML_PREDICT(TABLE prompts, MODEL m, DESCRIPTOR(prompt))"))
                .satisfies(e -> assertThat(messages(e)).contains("'top-p' must be in (0, 1]"));
    }

    @Test
    @Timeout(120)
    void systemPromptForAModelWithoutChatTemplateFailsNamingTheOption() {
        TableEnvironment env = tableEnv(1);
        env.executeSql("CREATE MODEL m INPUT (prompt STRING) OUTPUT (completion STRING) WITH ('provider' = 'prefixflow',"
                + " 'model' = '" + modelPath + "', 'system-prompt' = 'You are kind.')");
        env.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT * FROM (VALUES ('p', 'hi')) AS t(id, prompt)");
        assertThatThrownBy(() -> collectById(env.executeSql(
                "SELECT * FROM ML_PREDICT(TABLE prompts, MODEL m, DESCRIPTOR(prompt))")))
                .satisfies(e -> assertThat(messages(e)).contains("'system-prompt' needs a chat template"));
    }

    private static void checkCompletions(TableEnvironment env, String config) throws Exception {
        createModel(env, "story", "completion STRING, finish_reason STRING, completion_tokens INT, error STRING");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < PROMPTS.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("('p").append(i).append("', '").append(PROMPTS.get(i)).append("')");
        }
        env.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT * FROM (VALUES " + values + ") AS t(id, prompt)");
        Map<String, Row> rows = collectById(env.executeSql("SELECT id, completion, finish_reason, completion_tokens,"
                + " error FROM ML_PREDICT(TABLE prompts, MODEL story, DESCRIPTOR(prompt)" + config + ")"));

        assertThat(rows).hasSize(PROMPTS.size());
        for (int i = 0; i < PROMPTS.size(); i++) {
            GenerationResult want = expected.get(PROMPTS.get(i));
            Row row = rows.get("p" + i);
            assertThat(want.text()).isNotEmpty();
            assertThat(row.getField("completion")).as(PROMPTS.get(i)).isEqualTo(want.text());
            assertThat(row.getField("finish_reason")).isEqualTo(want.finishReason().wireName());
            assertThat(row.getField("completion_tokens")).isEqualTo(want.tokenIds().length);
            assertThat(row.getField("error")).isNull();
        }
        assertNoEngineLeft();
    }

    /** The tasks close their functions as the job ends; the last one out stops the slot engine. */
    private static void assertNoEngineLeft() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (SlotEngines.numRunning() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(SlotEngines.numRunning()).as("engines left running after the job").isZero();
    }

    private static TableEnvironment tableEnv(int parallelism) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", String.valueOf(parallelism));
        return env;
    }

    private static void createModel(TableEnvironment env, String name, String outputs) {
        env.executeSql("CREATE MODEL " + name + " INPUT (prompt STRING) OUTPUT (" + outputs + ") WITH ("
                + "'provider' = 'prefixflow', 'model' = '" + modelPath + "', 'context-length' = '" + CONTEXT_LENGTH
                + "', 'max-tokens' = '" + MAX_TOKENS + "', 'temperature' = '0')");
    }

    private static Map<String, Row> collectById(TableResult result) throws Exception {
        Map<String, Row> rows = new HashMap<>();
        try (CloseableIterator<Row> it = result.collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                rows.put((String) row.getField("id"), row);
            }
        }
        return rows;
    }

    private static String messages(Throwable e) {
        List<String> all = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.add(String.valueOf(t.getMessage()));
        }
        return String.join(" | ", all);
    }
}
