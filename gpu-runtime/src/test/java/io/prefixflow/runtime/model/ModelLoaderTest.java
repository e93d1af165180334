package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.tensor.GgmlType;
import io.prefixflow.runtime.testing.SharedData;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {
    @TempDir
    Path dir;

    /** Records which factory method was called and returns a stub of the given size. */
    private static final class RecordingFactory implements TokenizerFactory {
        final List<String> calls = new ArrayList<>();
        final Tokenizer tokenizer;

        RecordingFactory(int vocabSize) {
            tokenizer = new StubTokenizer(vocabSize);
        }

        @Override
        public Tokenizer fromGguf(GgufFile gguf) {
            calls.add("gguf " + gguf.path().getFileName());
            return tokenizer;
        }

        @Override
        public Tokenizer fromLlama2cFile(Path tokenizerFile) {
            calls.add("llama2c " + tokenizerFile.getFileName());
            return tokenizer;
        }
    }

    private static ModelFormatException fails(String spec) {
        return assertThrows(ModelFormatException.class,
                () -> ModelLoader.load(spec, null, null, TokenizerFactory.none()));
    }

    @Test
    void llama2cCheckpointWithItsTokenizerFile() {
        RecordingFactory factory = new RecordingFactory(512);
        Path bin = SharedData.model("stories260K.bin");
        Model model = ModelLoader.load(bin.toString(), SharedData.model("tok512.bin"), GgmlType.F32, factory);
        assertEquals(List.of("llama2c tok512.bin"), factory.calls);
        assertSame(factory.tokenizer, model.tokenizer());
        assertEquals(512, model.config().contextLength());
        assertEquals(Set.of(1), model.stopTokenIds());
    }

    @Test
    void llama2cCheckpointWithoutTokenizerRunsOnIds() {
        RecordingFactory factory = new RecordingFactory(512);
        Model model = ModelLoader.load(SharedData.model("stories260K.bin").toString(), null, null, factory);
        assertEquals(List.of(), factory.calls);
        assertEquals(null, model.tokenizer());
    }

    @Test
    void ggufIsRecognisedByItsMagicWhateverItsName() throws Exception {
        Path renamed = Files.copy(SharedData.model("stories260K.gguf"), dir.resolve("model.bin"));
        RecordingFactory factory = new RecordingFactory(512);
        Model model = ModelLoader.load(renamed.toString(), null, null, factory);
        assertEquals(List.of("gguf model.bin"), factory.calls);
        assertSame(factory.tokenizer, model.tokenizer());
        assertEquals(128, model.config().contextLength());
        assertEquals(Set.of(1, 2), model.stopTokenIds());
    }

    @Test
    void tokenizerFileWithGgufIsAnError() {
        Path gguf = SharedData.model("stories260K.gguf");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(gguf.toString(),
                SharedData.model("tok512.bin"), null, TokenizerFactory.none()));
        assertTrue(e.getMessage().contains("carries its own tokenizer"), e.getMessage());
    }

    @Test
    void dtypeOtherThanTheFilesIsAnErrorNotAConversion() {
        for (String name : List.of("stories260K.bin", "stories260K.gguf")) {
            Path file = SharedData.model(name);
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> ModelLoader.load(file.toString(), null, GgmlType.Q8_0, TokenizerFactory.none()));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("dtype Q8_0") && e.getMessage().contains("stores F32"), e.getMessage());
        }
    }

    @Test
    void dummyDefaultsToF32() {
        Model model = ModelLoader.load("dummy:tiny", null, null, TokenizerFactory.none());
        assertEquals("dummy:tiny", model.name());
        assertEquals(GgmlType.F32, model.weights().layers().get(0).wq().type());
        assertEquals(DummyShape.TINY.config(), model.config());
    }

    @Test
    void dummyWithATokenizerOfItsVocabulary() {
        RecordingFactory factory = new RecordingFactory(256);
        Model model = ModelLoader.load("dummy:tiny", Path.of("vocab256.bin"), GgmlType.F32, factory);
        assertSame(factory.tokenizer, model.tokenizer());
        RecordingFactory wrong = new RecordingFactory(512);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelLoader.load("dummy:tiny", Path.of("tok512.bin"), null, wrong));
        assertTrue(e.getMessage().contains("512 tokens") && e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void dummyWithoutATokenizerGetsTheByteTokenizerWhenItsVocabularyHoldsEveryByte() {
        Model model = ModelLoader.load("dummy:llama-110m", null, GgmlType.Q4_0, TokenizerFactory.none());
        assertTrue(model.tokenizer() instanceof io.prefixflow.runtime.tokenizer.ByteTokenizer);
        assertEquals(model.config().vocabSize(), model.tokenizer().vocabSize());
        assertEquals(null, ModelLoader.load("dummy:tiny", null, null, TokenizerFactory.none()).tokenizer());
    }

    @Test
    void unknownDummyListsTheKnownShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelLoader.load("dummy:gpt-5", null, null, TokenizerFactory.none()));
        assertTrue(e.getMessage().contains("'gpt-5'") && e.getMessage().contains("llama-110m"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.gguf");
        ModelFormatException e = fails(file.toString());
        assertTrue(e.getMessage().startsWith(file + ": no such file"), e.getMessage());
    }

    @Test
    void fileThatIsNeitherFormatSaysSo() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "These are not the weights you are looking for.");
        ModelFormatException e = fails(file.toString());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("neither a GGUF file") && e.getMessage().contains("llama2.c"),
                e.getMessage());
    }

    @Test
    void tinyFileThatIsNeitherFormatSaysSo() throws Exception {
        Path file = Files.write(dir.resolve("tiny"), new byte[] {1, 2, 3});
        ModelFormatException e = fails(file.toString());
        assertTrue(e.getMessage().contains("neither a GGUF file") && e.getMessage().contains("3 bytes"),
                e.getMessage());
    }

    @Test
    void truncatedFilesOfBothFormatsAreErrors() throws Exception {
        for (String name : List.of("stories260K.bin", "stories260K.gguf")) {
            byte[] whole = Files.readAllBytes(SharedData.model(name));
            for (int keep : new int[] {whole.length / 2, whole.length - 1}) {
                Path file = Files.write(dir.resolve("cut-" + keep + "-" + name), Arrays.copyOf(whole, keep));
                ModelFormatException e = fails(file.toString());
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            }
        }
    }

    @Test
    void ggufWithAnUnsupportedTensorTypeNamesTheTensorAndType() {
        Path file = TinyGguf.model("llama")
                .tensor("blk.1.attn_q.weight", 20, new byte[TinyGguf.DIM * TinyGguf.DIM / 32 * 18],
                        TinyGguf.DIM, TinyGguf.DIM)
                .write(dir.resolve("iq4_nl.gguf"));
        ModelFormatException e = fails(file.toString());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'blk.1.attn_q.weight'") && e.getMessage().contains("IQ4_NL (id 20)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("supported: F32, F16, Q4_0, Q4_1"), e.getMessage());
    }

    /** A matrix of a 32-value type the loader did not read before (Q4_1, 20 bytes a block) is used in place. */
    @Test
    void ggufWithAQ4_1MatrixLoadsIt() {
        Path file = TinyGguf.model("llama")
                .tensor("blk.1.attn_q.weight", 3, new byte[TinyGguf.DIM * TinyGguf.DIM / 32 * 20],
                        TinyGguf.DIM, TinyGguf.DIM)
                .write(dir.resolve("q4_1.gguf"));
        Model model = ModelLoader.load(file.toString(), null, null, TokenizerFactory.none());
        assertEquals(GgmlType.Q4_1, model.weights().layers().get(1).wq().type());
    }
}
