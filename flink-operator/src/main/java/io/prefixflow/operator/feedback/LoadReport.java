package io.prefixflow.operator.feedback;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One inference subtask's outstanding work at one moment.
 *
 * @param jobId             the Flink job the subtask belongs to (reports of other jobs on the topic are ignored)
 * @param subtask           the inference subtask's index
 * @param outstandingTokens prompt tokens still to compute plus tokens still to generate (the engine's count)
 * @param reportedAtMs      the publisher's wall clock when it measured, ms
 * @param receivedRouteSeqs per prepare subtask (router) r, the route sequence number of the last request from r
 *                          this subtask had taken when it measured, 0 for none: the outstanding work includes
 *                          every request of r up to that number and none after it (in-flight ones are the
 *                          router's to add, see {@code CacheAwareRouter})
 */
public record LoadReport(String jobId, int subtask, long outstandingTokens, long reportedAtMs,
                         long[] receivedRouteSeqs) {
    private static final int VERSION = 2;
    /** More routers than any job runs: a count past it is garbage, not a report. */
    private static final int MAX_ROUTERS = 1 << 16;

    public LoadReport {
        Objects.requireNonNull(jobId, "jobId");
        receivedRouteSeqs = receivedRouteSeqs.clone();
        if (subtask < 0 || outstandingTokens < 0) {
            throw new IllegalArgumentException("subtask and outstandingTokens must be >= 0, got " + subtask + ", "
                    + outstandingTokens);
        }
        if (receivedRouteSeqs.length > MAX_ROUTERS) {
            throw new IllegalArgumentException("at most " + MAX_ROUTERS + " routers, got "
                    + receivedRouteSeqs.length);
        }
    }

    /** The last route sequence number taken from router {@code router}, 0 for none (or an unknown router). */
    public long receivedRouteSeq(int router) {
        return router >= 0 && router < receivedRouteSeqs.length ? receivedRouteSeqs[router] : 0;
    }

    @Override
    public long[] receivedRouteSeqs() {
        return receivedRouteSeqs.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadReport other && jobId.equals(other.jobId) && subtask == other.subtask
                && outstandingTokens == other.outstandingTokens && reportedAtMs == other.reportedAtMs
                && Arrays.equals(receivedRouteSeqs, other.receivedRouteSeqs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, subtask, outstandingTokens, reportedAtMs, Arrays.hashCode(receivedRouteSeqs));
    }

    @Override
    public String toString() {
        return "LoadReport[" + jobId + ", subtask " + subtask + ", " + outstandingTokens + " tokens at "
                + reportedAtMs + ", route seqs " + Arrays.toString(receivedRouteSeqs) + "]";
    }

    /** The record value: a version byte, then the fields. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(jobId);
            out.writeInt(subtask);
            out.writeLong(outstandingTokens);
            out.writeLong(reportedAtMs);
            out.writeInt(receivedRouteSeqs.length);
            for (long seq : receivedRouteSeqs) {
                out.writeLong(seq);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws IllegalArgumentException when the bytes are not a load report of this version
     */
    public static LoadReport decode(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("load report: no value");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("load report: version " + version + ", expected " + VERSION);
            }
            String jobId = in.readUTF();
            int subtask = in.readInt();
            long outstandingTokens = in.readLong();
            long reportedAtMs = in.readLong();
            int numRouters = in.readInt();
            if (numRouters < 0 || numRouters > MAX_ROUTERS) {
                throw new IllegalArgumentException("load report: " + numRouters + " routers");
            }
            long[] seqs = new long[numRouters];
            for (int r = 0; r < numRouters; r++) {
                seqs[r] = in.readLong();
            }
            LoadReport report = new LoadReport(jobId, subtask, outstandingTokens, reportedAtMs, seqs);
            if (in.available() > 0) {
                throw new IllegalArgumentException("load report: " + in.available() + " bytes after the fields");
            }
            return report;
        } catch (IOException e) {
            throw new IllegalArgumentException("load report: truncated (" + value.length + " bytes)", e);
        }
    }
}
