package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.model.DummyModels;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.Backend;
import io.prefixflow.runtime.tensor.GgmlType;
import jcuda.CudaException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The probe's messages, and what the cuda backend does where it finds no GPU. */
class CudaProbeTest {
    @Test
    void eachFailureBecomesAReadableReason() {
        CudaProbe.Result noLibrary = CudaProbe.probe(() -> {
            throw new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file");
        });
        assertFalse(noLibrary.available());
        assertTrue(noLibrary.reason().contains("libcuda.so.1"), noLibrary.reason());

        CudaProbe.Result noClass = CudaProbe.probe(() -> {
            throw new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
        });
        assertFalse(noClass.available());
        assertTrue(noClass.reason().contains("JCuda"), noClass.reason());

        CudaProbe.Result refused = CudaProbe.probe(() -> {
            throw new CudaException("CUDA_ERROR_NO_DEVICE");
        });
        assertFalse(refused.available());
        assertTrue(refused.reason().contains("CUDA_ERROR_NO_DEVICE"), refused.reason());

        CudaProbe.Result none = CudaProbe.probe(() -> 0);
        assertFalse(none.available());
        assertTrue(none.reason().contains("no GPU"), none.reason());

        CudaProbe.Result two = CudaProbe.probe(() -> 2);
        assertTrue(two.available());
        assertEquals(2, two.deviceCount());
    }

    @Test
    void jcudasNestedLinkErrorIsCutToTheMissingLibrary() {
        String jcudaMessage = "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                + "Stack trace from the attempt to load the library as a file:\n"
                + "java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-x86_64 in java.library.path: /lib\n"
                + "\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2434)\n"
                + "Stack trace from the attempt to load the library as a resource:\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file\n"
                + "\tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)\n";
        assertEquals("/tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file",
                CudaProbe.innermostLinkError(jcudaMessage));
        assertEquals("plain", CudaProbe.innermostLinkError("plain\nsecond line"));
        CudaProbe.Result result = CudaProbe.probe(() -> {
            throw new UnsatisfiedLinkError(jcudaMessage);
        });
        assertFalse(result.reason().contains("\n"), result.reason());
    }

    @Test
    void theRealProbeAnswersWithoutThrowing() {
        String reason = CudaProbe.reason();
        assertFalse(reason.isBlank());
        assertEquals(CudaProbe.isAvailable(), CudaProbe.deviceCount() > 0);
    }

    @Test
    void withoutAGpuTheRunnerRefusesToStartAndSaysWhy() {
        Assumptions.assumeFalse(CudaProbe.isAvailable(), "a GPU is present: nothing to refuse");
        Model model = DummyModels.create("tiny", GgmlType.F32);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CudaModelRunner(model.config(), model.weights(), 16, 8, 0, WeightPrecision.BF16));
        String expected = CudaProbe.reason();
        assertTrue(e.getMessage().contains(expected) || e.getMessage().contains("built without nvcc"),
                e.getMessage());
        IllegalStateException viaBackend = assertThrows(IllegalStateException.class,
                () -> Backend.CUDA.open(model.config(), model.weights(), 16, 8, 1, 0));
        assertTrue(viaBackend.getMessage().contains("cuda backend cannot start")
                || viaBackend.getMessage().contains("built without nvcc"), viaBackend.getMessage());
    }

    @Test
    void backendNamesParse() {
        assertEquals(Backend.CPU, Backend.parse("cpu"));
        assertEquals(Backend.CUDA, Backend.parse("CUDA"));
        assertEquals("cuda", Backend.CUDA.cliName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backend.parse("metal"));
        assertTrue(e.getMessage().contains("cpu or cuda"), e.getMessage());
    }
}
