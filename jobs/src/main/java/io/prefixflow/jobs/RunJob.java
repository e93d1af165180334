package io.prefixflow.jobs;

import io.prefixflow.jobs.cli.Main;
import io.prefixflow.jobs.cli.RunCommand;
import picocli.CommandLine;

/**
 * Entry point for {@code flink run -c io.prefixflow.jobs.RunJob prefixflow.jar --bootstrap-servers ...}: the
 * {@code run} command's options, without the CLI's JVM relaunch (the Flink client builds the job graph; the
 * TaskManagers need {@code --add-modules=jdk.incubator.vector} in {@code env.java.opts.taskmanager}).
 */
public final class RunJob {
    private RunJob() {
    }

    public static void main(String[] args) {
        CommandLine cli = Main.configure(new CommandLine(new RunCommand()));
        int status = cli.execute(args);
        if (status != 0) {
            throw new IllegalStateException("prefixflow run failed with status " + status + " (see above)");
        }
    }
}
