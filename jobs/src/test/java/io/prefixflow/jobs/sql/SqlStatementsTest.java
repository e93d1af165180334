package io.prefixflow.jobs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting scripts into statements, and what a script needs of Kafka. */
class SqlStatementsTest {
    @Test
    void splitsAtSemicolonsOutsideLiteralsIdentifiersAndComments() {
        String script = "-- a comment; with a semicolon\n"
                + "CREATE VIEW v AS SELECT 'a;b' AS x, 'it''s; fine' AS y;\n"
                + "/* block; comment */ SELECT `odd;name` FROM v ;;\n"
                + "  SELECT 1 -- trailing; comment\n";
        assertEquals(List.of("CREATE VIEW v AS SELECT 'a;b' AS x, 'it''s; fine' AS y",
                "SELECT `odd;name` FROM v", "SELECT 1"), SqlStatements.split(script));
    }

    @Test
    void aDoubleDashInsideALiteralIsNotAComment() {
        assertEquals(List.of("SELECT 'a -- b'", "SELECT 2"), SqlStatements.split("SELECT 'a -- b'; SELECT 2"));
    }

    @Test
    void unterminatedQuoteIsAnErrorWithItsOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SqlStatements.split("SELECT 1; SELECT 'oops"));
        assertTrue(e.getMessage().contains("offset 17"), e.getMessage());
    }

    @Test
    void firstKeywordIsUpperCased() {
        assertEquals("INSERT", SqlStatements.firstKeyword("\n  insert into t select 1"));
        assertEquals("SELECT", SqlStatements.firstKeyword("SELECT(1)"));
    }

    @Test
    void kafkaTablesNameTheirTopicsAndTheBrokerPlaceholderIsReplaced() {
        List<String> statements = List.of(
                "CREATE TABLE a (x STRING) WITH ('connector' = 'kafka', 'topic' = 'in;in2', 'properties.bootstrap.servers'"
                        + " = '${kafka.bootstrap.servers}')",
                "CREATE TABLE b (x STRING) WITH ('connector'='kafka', 'topic'='out')",
                "CREATE TABLE c (x STRING) WITH ('connector' = 'filesystem', 'topic' = 'not-kafka')");
        assertTrue(KafkaTables.usesKafka(statements));
        assertFalse(KafkaTables.usesKafka(List.of(statements.get(2))));
        assertEquals(List.of("in", "in2", "out"), List.copyOf(KafkaTables.topics(statements)));
        assertTrue(KafkaTables.withBootstrapServers(statements.get(0), "127.0.0.1:9092")
                .contains("'properties.bootstrap.servers' = '127.0.0.1:9092'"));
    }
}
