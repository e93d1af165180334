package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.config.RemoteOptions;
import io.prefixflow.operator.config.ServingBackend;
import io.prefixflow.runtime.runner.Backend;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --backend cpu|cuda|openai}, {@code --endpoint} and {@code --remote-model} of run and bench. */
class RemoteBackendOptionsTest {
    private static final String[] RUN = {"run", "--bootstrap-servers", "127.0.0.1:1", "--input-topic", "in",
        "--output-topic", "out"};

    private static Configuration runConfiguration(String... extra) {
        RunCommand command = new RunCommand();
        String[] args = new String[RUN.length - 1 + extra.length];
        System.arraycopy(RUN, 1, args, 0, RUN.length - 1);
        System.arraycopy(extra, 0, args, RUN.length - 1, extra.length);
        new CommandLine(command).parseArgs(args);
        return command.configuration();
    }

    @Test
    void openAiSetsTheRemoteOptions() {
        Configuration conf = runConfiguration("--backend", "openai", "--endpoint", "http://127.0.0.1:8000",
                "--remote-model", "llama");
        assertEquals(ServingBackend.OPENAI, conf.get(RemoteOptions.SERVING_BACKEND));
        assertEquals("http://127.0.0.1:8000", conf.get(RemoteOptions.ENDPOINT));
        assertEquals("llama", conf.get(RemoteOptions.MODEL));
    }

    @Test
    void cpuAndCudaPickTheEngineBackend() {
        Configuration cuda = runConfiguration("--backend", "cuda");
        assertEquals(ServingBackend.ENGINE, cuda.get(RemoteOptions.SERVING_BACKEND));
        assertEquals(Backend.CUDA, cuda.get(InferenceOptions.BACKEND));
        assertEquals(Backend.CPU, runConfiguration("--backend", "cpu").get(InferenceOptions.BACKEND));
    }

    @Test
    void badCombinationsNameTheOption() {
        assertTrue(run("--backend", "openai").contains("--backend openai needs --endpoint URL"));
        assertTrue(run("--backend", "tpu").contains("--backend tpu: expected cpu, cuda or openai"));
        assertTrue(run("--endpoint", "http://127.0.0.1:8000").contains("--endpoint only applies to --backend openai"));
        assertTrue(GenerateCommandTest.run("bench", "--backend", "openai").err()
                .contains("--backend openai needs --endpoint URL"));
    }

    @Test
    void benchFailsWhenTheEndpointCannotBeReached() {
        GenerateCommandTest.Run run = GenerateCommandTest.run("bench", "--backend", "openai", "--endpoint",
                "http://127.0.0.1:1", "--connect-timeout", "2s", "--num-requests", "1");
        assertNotEquals(0, run.exitCode());
        assertTrue(run.err().contains("cannot reach the OpenAI-compatible server at --endpoint http://127.0.0.1:1"),
                run.err());
    }

    private static String run(String... extra) {
        String[] args = new String[RUN.length + extra.length];
        System.arraycopy(RUN, 0, args, 0, RUN.length);
        System.arraycopy(extra, 0, args, RUN.length, extra.length);
        return GenerateCommandTest.run(args).err();
    }
}
