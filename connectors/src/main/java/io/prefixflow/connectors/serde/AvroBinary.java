package io.prefixflow.connectors.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Evolution: records written with an earlier version of the schema (a new field with a default was
 * added since) still decode, with the defaults filled in: when the bytes are not exactly one record of
 * today's schema but are exactly one of a past writer schema, they are read through Avro's schema
 * resolution. Appending a field changes the record's encoded length, so at most one version fits.
 *
 * <p>NOTE: not thread-safe and not serializable; Flink functions create one in {@code open}.
 *
 * @param <T> a class generated from an {@code .avsc} file
 */
public final class AvroBinary<T extends SpecificRecord> {
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    /** Past writer schemas, newest first, each with a reader resolving it to today's schema. */
    private final List<SpecificDatumReader<T>> pastReaders;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    private AvroBinary(Class<T> type, List<Schema> pastWriterSchemas) {
        this.writer = new SpecificDatumWriter<>(type);
        this.reader = new SpecificDatumReader<>(type);
        this.schema = reader.getSchema();
        this.pastReaders = new ArrayList<>();
        for (Schema past : pastWriterSchemas) {
            pastReaders.add(new SpecificDatumReader<>(past, schema));
        }
    }

    /** A codec for the generated class {@code type}. */
    public static <T extends SpecificRecord> AvroBinary<T> of(Class<T> type) {
        return new AvroBinary<>(Objects.requireNonNull(type, "type"), List.of());
    }

    /**
     * A codec for {@code type} that also decodes records written with {@code pastWriterSchemas} (newest
     * first), each of which today's schema must be able to read.
     */
    public static <T extends SpecificRecord> AvroBinary<T> of(Class<T> type, List<Schema> pastWriterSchemas) {
        return new AvroBinary<>(Objects.requireNonNull(type, "type"), List.copyOf(pastWriterSchemas));
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
        SpecificDatumReader<T> chosen = reader;
        String problem = BinaryShapeCheck.problem(schema, bytes);
        if (problem != null) {
            chosen = null;
            for (SpecificDatumReader<T> past : pastReaders) {
                if (BinaryShapeCheck.problem(past.getSchema(), bytes) == null) {
                    chosen = past;
                    break;
                }
            }
            if (chosen == null) {
                throw new MalformedRecordException(problem);
            }
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        try {
            return chosen.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
