package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class KernelImagesTest {
    private static KernelImages images(Map<String, String> files) {
        return new KernelImages(path -> {
            String content = files.get(path);
            return content == null ? null : new ByteArrayInputStream(content.getBytes(StandardCharsets.US_ASCII));
        });
    }

    @Test
    void missingKernelsSayTheJarWasBuiltWithoutNvcc() {
        KernelImages none = images(Map.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, none::requireAll);
        assertTrue(e.getMessage().contains("built without nvcc"), e.getMessage());
        assertTrue(e.getMessage().contains("'embedding'"), e.getMessage());
        assertTrue(e.getMessage().contains("io/prefixflow/runtime/cuda/embedding.cubin"), e.getMessage());
        IllegalStateException one = assertThrows(IllegalStateException.class, () -> none.image("gemm", 9, 0));
        assertTrue(one.getMessage().contains("'gemm'"), one.getMessage());
    }

    @Test
    void hopperGetsTheCubinAndNewerGpusTheTerminatedPtx() {
        KernelImages both = images(Map.of(KernelImages.RESOURCE_DIR + "gemm.cubin", "CUBIN",
                KernelImages.RESOURCE_DIR + "gemm.ptx", "PTX"));
        assertArrayEquals("CUBIN".getBytes(StandardCharsets.US_ASCII), both.image("gemm", 9, 0));
        byte[] ptx = both.image("gemm", 10, 0);
        assertEquals(4, ptx.length);
        assertEquals(0, ptx[3], "PTX text handed to cuModuleLoadData ends with NUL");
    }

    @Test
    void olderGpusAreRejectedByName() {
        KernelImages both = images(Map.of(KernelImages.RESOURCE_DIR + "gemm.ptx", "PTX"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> both.image("gemm", 8, 0));
        assertTrue(e.getMessage().contains("8.0"), e.getMessage());
    }

    @Test
    void theBuildPacksEveryModuleWhereNvccExists() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/local/bin/nvcc")),
                "no /usr/local/bin/nvcc: this build has no kernels to check");
        KernelImages fromJar = KernelImages.fromClasspath();
        fromJar.requireAll();
        for (String module : KernelImages.MODULES) {
            assertTrue(fromJar.image(module, 9, 0).length > 0, module + ".cubin");
            assertTrue(fromJar.image(module, 10, 0).length > 0, module + ".ptx");
        }
    }
}
