package io.prefixflow.connectors.embedded;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (KRaft, combined broker and controller, no ZooKeeper) running inside
 * this JVM, for tests and the quickstart. It listens on 127.0.0.1 only, on ephemeral ports, and
 * keeps its data in a temporary directory deleted on {@link #close()}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopic("prompts", 2);
 *     String bootstrapServers = kafka.bootstrapServers();  // "127.0.0.1:<port>"
 *     ...
 * }
 * }</pre>
 *
 * <p>The metadata is formatted at Kafka's latest production version, with unreleased protocol
 * versions off, so clients meet a broker like a released one. Single-broker settings: replication factor 1 and min ISR 1 for the offsets and transaction
 * state topics (so consumer groups and transactions work), one partition each, and no initial
 * rebalance delay. {@code transaction.max.timeout.ms} stays Kafka's default unless overridden.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** Kafka's default {@code transaction.max.timeout.ms}. */
    private static final long DEFAULT_TRANSACTION_MAX_TIMEOUT_MS = 900_000;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClusterTestKit cluster;
    private final LoopbackSocketFactoryManager sockets;
    private final String bootstrapServers;
    private final Duration transactionMaxTimeout;
    private final Admin admin;

    private EmbeddedKafka(KafkaClusterTestKit cluster, LoopbackSocketFactoryManager sockets, String bootstrapServers,
                          Duration transactionMaxTimeout) {
        this.cluster = cluster;
        this.sockets = sockets;
        this.bootstrapServers = bootstrapServers;
        this.transactionMaxTimeout = transactionMaxTimeout;
        this.admin = Admin.create(clientProperties());
    }

    /** Starts a broker with the single-node defaults; returns once it serves clients. */
    public static EmbeddedKafka start() throws Exception {
        return start(Map.of());
    }

    /**
     * Starts a broker with the single-node defaults overridden by {@code brokerProperties}
     * (Kafka broker settings, e.g. {@code transaction.max.timeout.ms}); returns once it serves
     * clients. Listener settings cannot be overridden: the broker stays on loopback.
     */
    public static EmbeddedKafka start(Map<String, String> brokerProperties) throws Exception {
        for (String key : brokerProperties.keySet()) {
            if (key.equals("listeners") || key.startsWith("listener.") || key.startsWith("advertised.")
                    || key.equals("controller.listener.names") || key.equals("inter.broker.listener.name")) {
                throw new IllegalArgumentException("broker property '" + key
                        + "' cannot be overridden: the embedded broker listens on 127.0.0.1 only");
            }
        }
        Map<String, String> config = new LinkedHashMap<>(singleNodeDefaults());
        config.putAll(brokerProperties);

        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        String brokerListener = nodes.brokerListenerName().value();
        String controllerListener = nodes.controllerListenerName().value();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        config.forEach(builder::setConfigProp);
        builder.setConfigProp("listeners", brokerListener + "://127.0.0.1:0," + controllerListener + "://127.0.0.1:0");
        LoopbackSocketFactoryManager sockets = new LoopbackSocketFactoryManager();
        useSocketManager(builder, sockets);

        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            int nodeId = nodes.brokerNodes().firstKey();
            String bootstrap = "127.0.0.1:" + sockets.getOrCreatePortForListener(nodeId, brokerListener);
            Duration txMax = Duration.ofMillis(Long.parseLong(config.getOrDefault("transaction.max.timeout.ms",
                    Long.toString(DEFAULT_TRANSACTION_MAX_TIMEOUT_MS))));
            EmbeddedKafka kafka = new EmbeddedKafka(cluster, sockets, bootstrap, txMax);
            kafka.awaitBroker();
            return kafka;
        } catch (Exception | Error e) {
            try {
                cluster.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Kafka's {@code bootstrap.servers} for clients, {@code "127.0.0.1:<port>"}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's {@code transaction.max.timeout.ms}; a transactional sink's timeout must not exceed it. */
    public Duration transactionMaxTimeout() {
        return transactionMaxTimeout;
    }

    /** Client properties with {@code bootstrap.servers} set; add serializers and the rest. */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    /** Creates a topic with replication factor 1 and waits until the broker knows it. */
    public void createTopic(String name, int partitions) throws ExecutionException, InterruptedException, TimeoutException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        awaitLeaders(name, partitions);
    }

    /** The addresses the node's listener sockets are bound to (for checks that they are all loopback). */
    public List<InetSocketAddress> boundAddresses() {
        return sockets.boundAddresses();
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() throws Exception {
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            cluster.close();
        }
    }

    /**
     * NOTE: createTopics completes when the controller has the topic; the broker learns of it a
     * moment later, and until then clients get UnknownTopicOrPartition. Wait for every leader.
     */
    private void awaitLeaders(String topic, int partitions)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                if (description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topic " + topic + " has no leader for every partition after " + ADMIN_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    private void awaitBroker() throws ExecutionException, InterruptedException, TimeoutException {
        admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Map<String, String> singleNodeDefaults() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        // The test kit enables unreleased protocol versions; behave like a released broker instead.
        config.put("unstable.api.versions.enable", "false");
        config.put("unstable.feature.versions.enable", "false");
        return config;
    }

    /**
     * NOTE: the test kit's builder has no setter for its socket manager; it is replaced before
     * {@code build()} so that no socket is ever bound outside loopback. If a Kafka upgrade renames
     * the field this fails loudly rather than falling back to the wildcard address.
     */
    private static void useSocketManager(KafkaClusterTestKit.Builder builder, LoopbackSocketFactoryManager sockets) {
        try {
            Field field = KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
            field.setAccessible(true);
            field.set(builder, sockets);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot keep the embedded Kafka on loopback: KafkaClusterTestKit.Builder"
                    + " has no settable 'socketFactoryManager' field in this Kafka version", e);
        }
    }
}
