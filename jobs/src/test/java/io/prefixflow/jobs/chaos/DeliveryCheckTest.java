package io.prefixflow.jobs.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryCheckTest {
    private static final Map<String, String> REFERENCE = Map.of("a", "one", "b", "two", "c", "three");

    private static DeliveryCheck.Output out(String id, String text) {
        return new DeliveryCheck.Output(id, text);
    }

    @Test
    void exactlyTheReferenceIsClean() {
        DeliveryCheck check = DeliveryCheck.of(List.of("a", "b", "c"),
                List.of(out("c", "three"), out("a", "one"), out("b", "two")), REFERENCE);
        assertEquals(new DeliveryCheck(3, 0, 0, 0), check);
    }

    @Test
    void countsLostDuplicatedAndMismatchedSeparately() {
        DeliveryCheck check = DeliveryCheck.of(List.of("a", "b", "c"),
                List.of(out("a", "one"), out("a", "one"), out("a", "one"), out("b", "TWO")), REFERENCE);
        assertEquals(4, check.completions());
        assertEquals(1, check.lost(), "c has no completion");
        assertEquals(2, check.duplicated(), "a came three times");
        assertEquals(1, check.mismatched(), "b's text differs from the reference");
    }

    @Test
    void aCompletionForNoRequestIsAMismatch() {
        DeliveryCheck check = DeliveryCheck.of(List.of("a"), List.of(out("a", "one"), out("zzz", "one")), REFERENCE);
        assertEquals(new DeliveryCheck(2, 0, 0, 1), check);
    }

    @Test
    void aDuplicateWithOtherTextIsBothDuplicatedAndMismatched() {
        DeliveryCheck check = DeliveryCheck.of(List.of("a"), List.of(out("a", "one"), out("a", "uno")), REFERENCE);
        assertEquals(new DeliveryCheck(2, 0, 1, 1), check);
    }
}
