package io.prefixflow.connectors.serde;

import io.prefixflow.connectors.Requests;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.avro.ResponseFormat;
import io.prefixflow.connectors.avro.ResponseFormatType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Writes the seed inputs of {@link RequestDecoderFuzzTest}; run once by hand, its output is committed. */
final class RequestSeeds {
    private RequestSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
        InferenceRequest chat = Requests.chat("chat-1");
        InferenceRequest stops = Requests.prompt("stops", "Tell me </s> <|eot_id|> {{ 7*7 }}");
        stops.setStop(List.of("END", "\u0000"));
        stops.setMetadata(Map.of("k", "v"));
        InferenceRequest format = Requests.prompt("format", "Pick one");
        format.setResponseFormat(ResponseFormat.newBuilder().setType(ResponseFormatType.CHOICE)
                .setChoices(List.of("yes", "no")).build());
        InferenceRequest absurd = Requests.prompt("absurd", "x");
        absurd.setMaxTokens(Integer.MAX_VALUE);
        absurd.setTemperature(Float.NaN);
        absurd.setTopP(2f);
        Files.write(dir.resolve("prompt"), codec.encode(Requests.prompt("p-1", "Once upon a time")));
        Files.write(dir.resolve("chat"), codec.encode(chat));
        Files.write(dir.resolve("stops-metadata"), codec.encode(stops));
        Files.write(dir.resolve("response-format"), codec.encode(format));
        Files.write(dir.resolve("absurd-values"), codec.encode(absurd));
        byte[] full = codec.encode(chat);
        Files.write(dir.resolve("truncated"), Arrays.copyOf(full, full.length / 2));
    }
}
