package io.prefixflow.operator.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.operator.testing.KafkaJobTesting;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Questions over shared documents at parallelism 2. Rows distributed by their request id (as a Kafka topic keyed
 * by request id would spread them) put each document's rows in both slots, so its prefix is computed in each;
 * with {@code ROUTE_BY_KEY(TABLE t PARTITION BY doc_id)} in front of {@code ML_PREDICT} every document's rows
 * meet in one slot and its prefix is computed once.
 * Sync mode serves a slot's rows one after the other, so the counts are exact.
 */
class RouteByKeyITCase {
    private static final int DOCUMENTS = 3;
    private static final int QUESTIONS = 6;

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(2);

    @Test
    @Timeout(180)
    void routingByDocumentComputesEachDocumentsPrefixOnce() throws Exception {
        List<Row> unrouted = run("id");
        // the second run must start cold: wait until the first run's slot engines (and their caches) are gone
        long deadline = System.currentTimeMillis() + 10_000;
        while (SlotEngines.numRunning() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(SlotEngines.numRunning()).as("engines left by the first run").isZero();
        List<Row> routed = run("doc_id");

        assertThat(routed).hasSize(DOCUMENTS * QUESTIONS);
        assertThat(coldRows(routed)).as("one cold prefix per document").isEqualTo(DOCUMENTS);
        assertThat(coldRows(unrouted)).as("documents computed in both slots").isGreaterThan(DOCUMENTS);
        assertThat(cachedTokens(routed)).isGreaterThan(cachedTokens(unrouted));
        System.err.printf("RouteByKeyITCase: cached prompt tokens %d by doc_id vs %d by id (of %d)%n",
                cachedTokens(routed), cachedTokens(unrouted), promptTokens(routed));
    }

    private static List<Row> run(String routingKey) throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "2");
        env.createTemporarySystemFunction("ROUTE_BY_KEY", RouteByKey.class);
        env.executeSql("CREATE MODEL m INPUT (prompt STRING) OUTPUT (prompt_tokens INT, cached_prompt_tokens INT,"
                + " completion STRING) WITH ('provider' = 'prefixflow', 'model' = 'builtin:stories260K',"
                + " 'max-tokens' = '2')");
        StringBuilder values = new StringBuilder();
        for (int d = 0; d < DOCUMENTS; d++) {
            for (int q = 0; q < QUESTIONS; q++) {
                values.append(values.length() == 0 ? "" : ", ").append("('d").append(d).append("-q").append(q)
                        .append("', 'd").append(d).append("', '")
                        .append(document(d)).append(" Question ").append(q).append(": what happened? Answer:')");
            }
        }
        env.executeSql("CREATE TEMPORARY VIEW requests AS SELECT * FROM (VALUES " + values + ") AS t(id, doc_id, prompt)");
        env.executeSql("CREATE TEMPORARY VIEW routed AS SELECT * FROM ROUTE_BY_KEY(input => TABLE requests"
                + " PARTITION BY " + routingKey + ")");
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql("SELECT doc_id, prompt_tokens, cached_prompt_tokens FROM"
                + " ML_PREDICT(TABLE routed, MODEL m, DESCRIPTOR(prompt), MAP['async', 'false'])").collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static String document(int d) {
        String[] names = {"Lily", "Tom", "Sue"};
        return ("Once upon a time " + names[d] + " lived in a small house with a red door and a big garden where "
                + names[d] + " played with a ball and a dog every day after school. ").repeat(2);
    }

    private static long coldRows(List<Row> rows) {
        return rows.stream().filter(r -> (Integer) r.getField("cached_prompt_tokens") == 0).count();
    }

    private static int cachedTokens(List<Row> rows) {
        return rows.stream().mapToInt(r -> (Integer) r.getField("cached_prompt_tokens")).sum();
    }

    private static int promptTokens(List<Row> rows) {
        return rows.stream().mapToInt(r -> (Integer) r.getField("prompt_tokens")).sum();
    }
}
