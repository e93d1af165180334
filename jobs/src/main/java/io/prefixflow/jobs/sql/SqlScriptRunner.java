package io.prefixflow.jobs.sql;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs SQL statements one after the other on a streaming {@link TableEnvironment} whose jobs run in-process
 * (a Flink MiniCluster per job) or on the cluster the configuration names ({@link RemoteCluster}): DDL and {@code SET} take effect, {@code INSERT} and {@code EXECUTE} wait for
 * their job to finish, and every statement with rows ({@code SELECT}, {@code SHOW}, {@code EXPLAIN}, ...)
 * prints them through the {@link RowPrinter} until its job ends. A bounded query therefore ends by itself;
 * an unbounded one (a Kafka table without {@code scan.bounded.mode}) runs until the process is stopped.
 */
public final class SqlScriptRunner {
    private static final Set<String> WAITING_STATEMENTS = Set.of("INSERT", "EXECUTE");

    private final TableEnvironment env;
    private final RowPrinter printer;
    private final PrintWriter err;

    /**
     * @param flinkConf   where the jobs run: the in-process cluster's settings, or {@link RemoteCluster}'s
     * @param parallelism the jobs' default parallelism: slots, hence slot engines, per model
     * @param printer     where query rows go (standard output)
     * @param err         where progress notes go (standard error)
     */
    public SqlScriptRunner(Configuration flinkConf, int parallelism, RowPrinter printer, PrintWriter err) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be >= 1, got " + parallelism);
        }
        Configuration conf = new Configuration(flinkConf);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        this.env = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode()
                .withConfiguration(conf).build());
        this.printer = printer;
        this.err = err;
    }

    /** Runs every statement in order; the first that fails stops the script. */
    public void run(List<String> statements) throws Exception {
        for (int i = 0; i < statements.size(); i++) {
            String statement = statements.get(i);
            try {
                runOne(statement);
            } catch (Exception e) {
                throw new IllegalStateException("statement " + (i + 1) + " failed: " + describe(e) + "\n  in: "
                        + abbreviate(statement), e);
            }
        }
    }

    private void runOne(String statement) throws Exception {
        TableResult result = env.executeSql(statement);
        if (WAITING_STATEMENTS.contains(SqlStatements.firstKeyword(statement))) {
            result.await();
            err.println("[" + abbreviate(statement) + ": job finished]");
            err.flush();
            return;
        }
        if (result.getResultKind() != ResultKind.SUCCESS_WITH_CONTENT) {
            return;
        }
        printer.start(result.getResolvedSchema().getColumnNames());
        try (CloseableIterator<Row> rows = result.collect()) {
            while (rows.hasNext()) {
                printer.row(rows.next());
            }
        }
        printer.end();
    }

    /**
     * The first line of the outermost message and, when different, of the root cause's (Flink's parse errors go
     * on to list every token the parser expected).
     */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = firstLine(e);
        String bottom = firstLine(root);
        return root == e || top.contains(bottom) ? top : top + ": " + bottom;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String abbreviate(String statement) {
        String oneLine = statement.replaceAll("\\s+", " ");
        return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 97) + "...";
    }
}
