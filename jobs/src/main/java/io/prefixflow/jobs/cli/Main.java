package io.prefixflow.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar prefixflow.jar <command> ...}: the PrefixFlow command line.
 */
@Command(name = "prefixflow", mixinStandardHelpOptions = true, version = "prefixflow 0.1.0",
        description = "LLM inference inside Apache Flink: prefix-routed, paged-KV, continuously batched.",
        subcommands = {QuickstartCommand.class, RunCommand.class, ClusterCommand.class, ChaosCommand.class, SoakCommand.class, ProduceCommand.class, ConsumeCommand.class,
            GenerateCommand.class, SqlCommand.class, BenchEngineCommand.class, BenchPrefixCommand.class,
            BenchCommand.class, BenchRoutingCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) throws Exception {
        if (!VectorModuleRelauncher.vectorModulePresent()) {
            System.exit(VectorModuleRelauncher.relaunch(Main.class, args));
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new Main()));
    }

    /** Gives {@code cli} the one-line handling of expected failures. */
    public static CommandLine configure(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Expected failures (bad file, bad option value) get one clear line, not a stack trace.
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof io.prefixflow.runtime.model.ModelFormatException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }
}
