package io.prefixflow.operator.feedback;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * One inference subtask's outstanding work at one moment.
 *
 * @param jobId             the Flink job the subtask belongs to (reports of other jobs on the topic are ignored)
 * @param subtask           the inference subtask's index
 * @param outstandingTokens prompt tokens still to compute plus tokens still to generate
 * @param reportedAtMs      the publisher's wall clock when it measured, ms
 */
public record LoadReport(String jobId, int subtask, long outstandingTokens, long reportedAtMs) {
    private static final int VERSION = 1;

    public LoadReport {
        Objects.requireNonNull(jobId, "jobId");
        if (subtask < 0 || outstandingTokens < 0) {
            throw new IllegalArgumentException("subtask and outstandingTokens must be >= 0, got " + subtask + ", "
                    + outstandingTokens);
        }
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
            LoadReport report = new LoadReport(in.readUTF(), in.readInt(), in.readLong(), in.readLong());
            if (in.available() > 0) {
                throw new IllegalArgumentException("load report: " + in.available() + " bytes after the fields");
            }
            return report;
        } catch (IOException e) {
            throw new IllegalArgumentException("load report: truncated (" + value.length + " bytes)", e);
        }
    }
}
