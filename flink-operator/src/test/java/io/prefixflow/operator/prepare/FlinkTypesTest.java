package io.prefixflow.operator.prepare;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.prefixflow.operator.state.InFlightRequest;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** Records and state are Flink POJOs with Avro inside, so Kryo is never used. */
class FlinkTypesTest {
    @Test
    void preparedRequestsAndInFlightStateArePojos() {
        assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(PreparedRequest.class));
        assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(InFlightRequest.class));
        PojoTypeInfo<PreparedRequest> prepared = (PojoTypeInfo<PreparedRequest>) TypeInformation.of(PreparedRequest.class);
        for (int i = 0; i < prepared.getArity(); i++) {
            org.junit.jupiter.api.Assertions.assertFalse(prepared.getTypeAt(i).toString().startsWith("GenericType"),
                    prepared.getPojoFieldAt(i).getField().getName() + " would use Kryo");
        }
    }
}
