package io.prefixflow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class CompletionSinkBuilderTest {

    @Test
    void exactlyOnceByDefaultNeedsATransactionalIdPrefix() {
        assertThatThrownBy(() -> CompletionSinkBuilder.forCompletions()
                .setBootstrapServers("127.0.0.1:9092").setTopic("completions").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transactionalIdPrefix is required for EXACTLY_ONCE (setTransactionalIdPrefix)");
        assertThat(CompletionSinkBuilder.forCompletions().setBootstrapServers("127.0.0.1:9092")
                .setTopic("completions").setTransactionalIdPrefix("pf-completions").build()).isNotNull();
    }

    @Test
    void atLeastOnceNeedsNoTransactions() {
        assertThat(CompletionSinkBuilder.forChunks().setBootstrapServers("127.0.0.1:9092").setTopic("chunks")
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE).build()).isNotNull();
    }

    @Test
    void namesEveryMissingSetting() {
        assertThatThrownBy(() -> CompletionSinkBuilder.forDeadLetters().build())
                .hasMessageStartingWith("CompletionSinkBuilder<DeadLetter>: ")
                .hasMessageContaining("bootstrapServers is required (setBootstrapServers)")
                .hasMessageContaining("topic is required (setTopic)")
                .hasMessageContaining("transactionalIdPrefix");
    }

    @Test
    void transactionTimeoutMustNotExceedTheBrokersMaximum() {
        var builder = CompletionSinkBuilder.forCompletions().setBootstrapServers("h:1").setTopic("c")
                .setTransactionalIdPrefix("p").setTransactionTimeout(Duration.ofHours(1));
        assertThatThrownBy(builder::build)
                .hasMessageContaining("transactionTimeout (transaction.timeout.ms) 3600000 exceeds the broker's"
                        + " transaction.max.timeout.ms 900000");
        assertThat(builder.setBrokerMaxTransactionTimeout(Duration.ofHours(2)).build()).isNotNull();
    }

    @Test
    void refusesNoneAndReservedProperties() {
        assertThatThrownBy(() -> CompletionSinkBuilder.forCompletions().setBootstrapServers("h:1").setTopic("c")
                .setDeliveryGuarantee(DeliveryGuarantee.NONE).build())
                .hasMessageContaining("deliveryGuarantee NONE may lose records");
        assertThatThrownBy(() -> CompletionSinkBuilder.forCompletions().setBootstrapServers("h:1").setTopic("c")
                .setTransactionalIdPrefix("p").setProperty("transaction.timeout.ms", "1000").build())
                .hasMessageContaining("property 'transaction.timeout.ms' is set by this builder");
    }
}
