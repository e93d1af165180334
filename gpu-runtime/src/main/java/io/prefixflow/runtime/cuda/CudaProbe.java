package io.prefixflow.runtime.cuda;

import jcuda.CudaException;
import jcuda.driver.JCudaDriver;

/**
 * Finds out, once per JVM, whether the CUDA driver can be used here, and if not, why.
 *
 * <p>JCuda's driver binding needs only the NVIDIA driver ({@code libcuda.so.1}). Without it {@code cuInit}
 * throws {@link UnsatisfiedLinkError} and later calls {@link NoClassDefFoundError}; a driver without a usable
 * GPU answers with a {@link CudaException}. Every one of these becomes a readable {@link #reason()}; nothing
 * here throws. GPU tests use it as {@code assumeTrue(CudaProbe.isAvailable(), CudaProbe.reason())}.
 */
public final class CudaProbe {
    /** What the probe found: whether a GPU can be used, and a sentence saying why (not). */
    record Result(boolean available, int deviceCount, String reason) {
    }

    /** The probing step, replaceable in tests; returns the number of devices. */
    @FunctionalInterface
    interface DriverCheck {
        int deviceCount() throws Throwable;
    }

    private CudaProbe() {
    }

    /** True when the driver loaded and reports at least one GPU. */
    public static boolean isAvailable() {
        return Holder.RESULT.available();
    }

    /** Why the CUDA backend can (not) run here, for messages and skipped tests. */
    public static String reason() {
        return Holder.RESULT.reason();
    }

    /** GPUs the driver reports; 0 where it is not available. */
    public static int deviceCount() {
        return Holder.RESULT.deviceCount();
    }

    static Result probe(DriverCheck check) {
        try {
            int count = check.deviceCount();
            if (count < 1) {
                return new Result(false, 0, "the CUDA driver loaded but reports no GPU");
            }
            return new Result(true, count, "CUDA driver loaded, " + count + " GPU(s)");
        } catch (UnsatisfiedLinkError e) {
            return new Result(false, 0, "the NVIDIA driver library (libcuda.so.1) could not be loaded, so there is"
                    + " no usable GPU on this machine (" + innermostLinkError(e.getMessage()) + ")");
        } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
            return new Result(false, 0, "JCuda's driver binding failed to initialize (no NVIDIA driver, or the"
                    + " jcuda-natives jar for linux-x86_64 is missing): " + e);
        } catch (CudaException e) {
            return new Result(false, 0, "the CUDA driver refused to start: " + e.getMessage());
        } catch (Throwable e) {
            return new Result(false, 0, "probing the CUDA driver failed: " + e);
        }
    }

    /**
     * JCuda's link error carries nested stack traces of each way it tried to load its library; the last
     * {@code UnsatisfiedLinkError} line names the library that was really missing. Falls back to the first line.
     */
    static String innermostLinkError(String message) {
        if (message == null || message.isBlank()) {
            return "no detail";
        }
        String marker = "UnsatisfiedLinkError: ";
        String found = null;
        for (String line : message.split("\\R")) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                found = line.substring(at + marker.length()).trim();
            }
        }
        return found != null ? found : message.lines().findFirst().orElse(message).trim();
    }

    private static int driverDeviceCount() {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        return count[0];
    }

    /** Lazy holder: the probe runs on first use, once. */
    private static final class Holder {
        static final Result RESULT = probe(CudaProbe::driverDeviceCount);
    }
}
