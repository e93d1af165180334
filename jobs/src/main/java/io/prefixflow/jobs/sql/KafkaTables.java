package io.prefixflow.jobs.sql;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a script needs of Kafka: whether any statement declares a {@code 'connector' = 'kafka'} table, the topics
 * those tables name (so the embedded broker can create them before the first job reads one), and the
 * {@value #BOOTSTRAP_PLACEHOLDER} placeholder that stands for the broker's address.
 */
public final class KafkaTables {
    /** Replaced in every statement by the broker's {@code host:port} list. */
    public static final String BOOTSTRAP_PLACEHOLDER = "${kafka.bootstrap.servers}";

    private static final Pattern KAFKA_CONNECTOR =
            Pattern.compile("'connector'\\s*=\\s*'(kafka|upsert-kafka)'", Pattern.CASE_INSENSITIVE);
    private static final Pattern TOPIC = Pattern.compile("'topic'\\s*=\\s*'([^']+)'", Pattern.CASE_INSENSITIVE);

    private KafkaTables() {
    }

    /** Whether a statement declares a Kafka table or uses the placeholder. */
    public static boolean usesKafka(List<String> statements) {
        return statements.stream().anyMatch(s -> KAFKA_CONNECTOR.matcher(s).find() || s.contains(BOOTSTRAP_PLACEHOLDER));
    }

    /** The topics of the Kafka tables, in order of appearance ({@code 'topic' = 'a;b'} names two). */
    public static Set<String> topics(List<String> statements) {
        Set<String> topics = new LinkedHashSet<>();
        for (String statement : statements) {
            if (!KAFKA_CONNECTOR.matcher(statement).find()) {
                continue;
            }
            Matcher m = TOPIC.matcher(statement);
            while (m.find()) {
                for (String topic : m.group(1).split(";")) {
                    if (!topic.isBlank()) {
                        topics.add(topic.strip());
                    }
                }
            }
        }
        return topics;
    }

    /** {@code statement} with the placeholder replaced by {@code bootstrapServers}. */
    public static String withBootstrapServers(String statement, String bootstrapServers) {
        return statement.replace(BOOTSTRAP_PLACEHOLDER, bootstrapServers);
    }
}
