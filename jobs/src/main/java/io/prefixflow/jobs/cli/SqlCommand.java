package io.prefixflow.jobs.cli;

import io.prefixflow.jobs.sql.JsonLinesPrinter;
import io.prefixflow.jobs.sql.KafkaTables;
import io.prefixflow.jobs.sql.RemoteCluster;
import io.prefixflow.jobs.sql.RowPrinter;
import io.prefixflow.jobs.sql.SqlScriptRunner;
import io.prefixflow.jobs.sql.SqlStatements;
import io.prefixflow.jobs.sql.TablePrinter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sql}: runs a Flink SQL script on an in-process Flink (or a cluster, {@code --jobmanager}), with {@code CREATE MODEL ... WITH ('provider' =
 * 'prefixflow')} and {@code ML_PREDICT} available, and prints each query's rows. When the script declares a
 * Kafka table it starts an in-process broker first (as {@code quickstart} does), creates the tables' topics and
 * puts its address wherever the script says {@value KafkaTables#BOOTSTRAP_PLACEHOLDER}.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run Flink SQL statements (CREATE MODEL ... 'provider' = 'prefixflow', ML_PREDICT) in-process"
                + " and print each query's rows.")
final class SqlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--file"}, paramLabel = "SCRIPT.sql", description = "The statements, separated by ';'.")
    Path file;

    @Option(names = {"-e", "--execute"}, paramLabel = "STATEMENTS", description = "The statements, on the command line.")
    String statements;

    @Option(names = "--json", description = "Print each row as one JSON object (column names as keys) per line.")
    boolean json;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Default parallelism of the jobs (default 1); each slot runs one engine per model.")
    int parallelism = 1;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT",
            description = "Run the jobs on this Flink cluster (its REST endpoint) instead of in-process; this jar is"
                    + " shipped with them. A Kafka table then needs --bootstrap-servers.")
    String jobManager;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka instead of starting one in-process (for "
                    + KafkaTables.BOOTSTRAP_PLACEHOLDER + ").")
    String bootstrapServers;

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (statements == null)) {
            throw new IllegalArgumentException("give exactly one of --file SCRIPT.sql or -e \"STATEMENTS\"");
        }
        String script = file == null ? statements : readScript(file);
        List<String> parsed = SqlStatements.split(script);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("the script has no statements");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RowPrinter printer = json ? new JsonLinesPrinter(out) : new TablePrinter(out);
        if (jobManager != null && bootstrapServers == null && KafkaTables.usesKafka(parsed)) {
            throw new IllegalArgumentException("the script uses Kafka and --jobmanager is given: give --bootstrap-servers"
                    + " (a cluster cannot reach the in-process broker)");
        }
        if (!KafkaTables.usesKafka(parsed) || bootstrapServers != null) {
            run(parsed, bootstrapServers, printer, err);
            return 0;
        }
        err.println("Starting Kafka (in-process) ...");
        err.flush();
        try (LocalStack stack = LocalStack.start()) {
            Set<String> topics = KafkaTables.topics(parsed);
            for (String topic : topics) {
                stack.createTopic(topic, parallelism);
            }
            run(parsed, stack.bootstrapServers(), printer, err);
        }
        return 0;
    }

    private void run(List<String> parsed, String servers, RowPrinter printer, PrintWriter err) throws Exception {
        List<String> resolved = servers == null ? parsed
                : parsed.stream().map(s -> KafkaTables.withBootstrapServers(s, servers)).toList();
        Configuration conf;
        if (jobManager != null) {
            conf = RemoteCluster.configuration(jobManager);
        } else {
            conf = new Configuration();
            LocalFlink.loopbackOnly(conf);
        }
        new SqlScriptRunner(conf, parallelism, printer, err).run(resolved);
    }

    private static String readScript(Path file) throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--file " + file + " is not a readable file");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
