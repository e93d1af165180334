package io.prefixflow.runtime.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random JSON schemas of the supported subset, all bounded (strings have maxLength, enum or a bounded
 * pattern; arrays maxItems), so every output they allow is finite and a decoding must end.
 */
public final class RandomSchemas {
    private static final String[] WORDS = {"cat", "dog", "a b", "x\"y", "\u00e9t\u00e9", "", "rain"};
    private static final String[] PATTERNS = {"[a-z]{1,4}", "\\d{2}-\\d{2}", "(yes|no)", "[A-Z][a-z]?"};

    private RandomSchemas() {
    }

    /** A schema nesting objects and arrays at most {@code depth} deep. */
    public static String schema(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 0 ? 11 : 7);
        return switch (kind) {
            case 0 -> "{\"type\":\"string\",\"maxLength\":" + random.nextInt(6)
                    + (random.nextBoolean() ? "" : ",\"minLength\":0") + "}";
            case 1 -> "{\"type\":\"string\",\"enum\":[" + quotedWords(random) + "]}";
            case 2 -> "{\"type\":\"string\",\"pattern\":\"" + PATTERNS[random.nextInt(PATTERNS.length)]
                    .replace("\\", "\\\\") + "\"}";
            case 3 -> {
                int lo = random.nextInt(-500, 500);
                yield "{\"type\":\"integer\",\"minimum\":" + lo + ",\"maximum\":" + (lo + random.nextInt(1000)) + "}";
            }
            case 4 -> {
                int lo = random.nextInt(-50, 50);
                yield "{\"type\":\"number\",\"minimum\":" + lo + ",\"maximum\":" + (lo + random.nextInt(1, 100)) + "}";
            }
            case 5 -> random.nextBoolean() ? "{\"type\":\"boolean\"}" : "{\"type\":\"null\"}";
            case 6 -> "{\"type\":[\"boolean\",\"null\"]}";
            case 7, 8 -> object(random, depth);
            case 9 -> {
                int min = random.nextInt(2);
                yield "{\"type\":\"array\",\"items\":" + schema(random, depth - 1) + ",\"minItems\":" + min
                        + ",\"maxItems\":" + (min + random.nextInt(3)) + "}";
            }
            default -> "{\"anyOf\":[" + schema(random, depth - 1) + "," + schema(random, depth - 1) + "]}";
        };
    }

    private static String object(SplittableRandom random, int depth) {
        int numProperties = 1 + random.nextInt(3);
        StringBuilder properties = new StringBuilder();
        List<String> required = new ArrayList<>();
        for (int i = 0; i < numProperties; i++) {
            String name = "p" + i + (random.nextInt(4) == 0 ? " \u00fc" : "");
            if (i > 0) {
                properties.append(',');
            }
            properties.append('"').append(name).append("\":").append(schema(random, depth - 1));
            if (random.nextBoolean()) {
                required.add('"' + name + '"');
            }
        }
        return "{\"type\":\"object\",\"properties\":{" + properties + "},\"required\":[" + String.join(",", required)
                + "],\"additionalProperties\":false}";
    }

    private static String quotedWords(SplittableRandom random) {
        int n = 1 + random.nextInt(3);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            String quoted = '"' + word.replace("\"", "\\\"") + '"';
            if (!words.contains(quoted)) {
                words.add(quoted);
            }
        }
        return String.join(",", words);
    }
}
