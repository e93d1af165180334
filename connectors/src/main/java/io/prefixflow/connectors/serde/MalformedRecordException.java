package io.prefixflow.connectors.serde;

/** Bytes that are not one Avro record of the expected schema; the message says why. */
public final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason readable cause, e.g. {@code "string length 9000 exceeds the 12 bytes left at byte 4"} */
    public MalformedRecordException(String reason) {
        super(reason);
    }
}
