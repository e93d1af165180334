package io.prefixflow.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefixflow.connectors.Requests;
import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.avro.Priority;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AvroBinaryTest {
    private final AvroBinary<InferenceRequest> requests = AvroBinary.of(InferenceRequest.class);

    @Test
    void roundTripsRequestsWithDefaultsAndEveryOptionalField() throws Exception {
        InferenceRequest plain = Requests.prompt("r1", "Once upon a time");
        InferenceRequest chat = Requests.chat("r2");
        assertThat(requests.decode(requests.encode(plain))).isEqualTo(plain);
        assertThat(requests.decode(requests.encode(chat))).isEqualTo(chat);
        assertThat(plain.getPriority()).isEqualTo(Priority.THROUGHPUT);
        assertThat(plain.getMaxTokens()).isEqualTo(256);
        assertThat(plain.getMetadata()).isEmpty();
    }

    @Test
    void roundTripsCompletionsAndChunks() throws Exception {
        Completion c = Completion.newBuilder().setRequestId("r1").setTenant("acme").setText("hi")
                .setPromptTokens(5).setCompletionTokens(1).setFinishReason(FinishReason.STOP).build();
        AvroBinary<Completion> completions = AvroBinary.of(Completion.class);
        assertThat(completions.decode(completions.encode(c))).isEqualTo(c);
        assertThat(c.getServedBySubtask()).isEqualTo(-1);
        assertThat(c.getTtftMs()).isNull();

        CompletionChunk chunk = CompletionChunk.newBuilder().setRequestId("r1").setIndex(0).setText("h")
                .setTokenIds(List.of(7, 8)).setIsFinal(true).build();
        AvroBinary<CompletionChunk> chunks = AvroBinary.of(CompletionChunk.class);
        assertThat(chunks.decode(chunks.encode(chunk))).isEqualTo(chunk);
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] bytes = requests.encode(Requests.chat("r2"));
        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> requests.decode(truncated)).as("length %d", length)
                    .isInstanceOf(MalformedRecordException.class);
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = requests.encode(Requests.prompt("r1", "x"));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> requests.decode(longer))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("3 trailing bytes");
    }

    @Test
    void hugeDeclaredLengthIsRejectedWithoutAllocating() {
        // id length as zig-zag varint of about 2^30, followed by nothing.
        byte[] bytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        assertThatThrownBy(() -> requests.decode(bytes))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("exceeds the 0 bytes left");
    }

    @Test
    void hugeArrayCountIsRejected() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        e.writeString("r");
        e.writeString("acme");
        e.writeIndex(1);
        e.writeString("prompt");
        e.writeIndex(0); // messages: null
        e.writeIndex(0); // cache_key: null
        e.writeInt(256);
        e.writeFloat(1f);
        e.writeFloat(1f);
        e.writeInt(0);
        e.writeIndex(0); // seed: null
        e.writeLong(1L << 30); // stop: a block of 2^30 strings, and then nothing
        e.flush();
        assertThatThrownBy(() -> requests.decode(out.toByteArray()))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("block of 1073741824 items exceeds the 0 bytes left");
    }
}
