package io.prefixflow.connectors.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain Avro binary (no schema registry, no header) for one generated record type.
 *
 * <p>Decoding is strict: the bytes must hold exactly one record of the type's schema, checked
 * by {@link BinaryShapeCheck} before any object is built, so a corrupt length prefix never
 * makes the reader allocate gigabytes.
 *
 * <p>NOTE: not thread-safe and not serializable; Flink functions create one in {@code open}.
 *
 * @param <T> a class generated from an {@code .avsc} file
 */
public final class AvroBinary<T extends SpecificRecord> {
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    private AvroBinary(Class<T> type) {
        this.writer = new SpecificDatumWriter<>(type);
        this.reader = new SpecificDatumReader<>(type);
        this.schema = reader.getSchema();
    }

    /** A codec for the generated class {@code type}. */
    public static <T extends SpecificRecord> AvroBinary<T> of(Class<T> type) {
        return new AvroBinary<>(Objects.requireNonNull(type, "type"));
    }

    /** The writer and reader schema. */
    public Schema schema() {
        return schema;
    }

    /** The record as Avro binary. */
    public byte[] encode(T record) {
        out.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getFullName(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes exactly one record.
     *
     * @throws MalformedRecordException when the bytes are not one record of this schema; its
     *     message says why and where
     */
    public T decode(byte[] bytes) throws MalformedRecordException {
        String problem = BinaryShapeCheck.problem(schema, bytes);
        if (problem != null) {
            throw new MalformedRecordException(problem);
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
