package io.prefixflow.jobs.cluster;

import io.prefixflow.jobs.sql.RemoteCluster;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.job.KafkaInferenceJob;
import io.prefixflow.operator.job.KafkaJobSettings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Submits the Kafka inference job to a running cluster's JobManager, with this program's jar when it has one. */
public final class ClusterJobs {
    private ClusterJobs() {
    }

    /**
     * Submits the job of {@code jobConf} ({@link KafkaInferenceJob#defaults()} plus Kafka and inference options)
     * to {@code jobManager} ({@code host:port} of its REST API); returns once the cluster accepted it.
     */
    public static JobClient submit(String jobManager, Configuration jobConf, int parallelism, String name)
            throws Exception {
        Configuration conf = new Configuration(jobConf);
        conf.addAll(RemoteCluster.configuration(jobManager));
        // NOTE: getExecutionEnvironment(conf) would start a local MiniCluster whatever execution.target says;
        // the constructor honours it.
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
        return env.executeAsync(name);
    }
}
