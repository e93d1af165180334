package io.prefixflow.jobs.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes sure the JVM has the incubating Vector API module.
 *
 * <p>A jar manifest cannot add a module to the boot layer, so {@code java -jar prefixflow.jar ...} on a
 * plain JDK 17 starts without {@code jdk.incubator.vector}. In that case the program starts itself again,
 * same Java, same JVM options, plus {@code --add-modules=jdk.incubator.vector}, passes its standard
 * streams through, and exits with the child's status.
 */
final class VectorModuleRelauncher {
    private static final String MODULE = "jdk.incubator.vector";
    private static final String MARKER = "prefixflow.relaunched";

    private VectorModuleRelauncher() {
    }

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** Runs this program again with the module; returns the child's exit status. */
    static int relaunch(Class<?> mainClass, String[] args) throws Exception {
        if (Boolean.getBoolean(MARKER)) {
            throw new IllegalStateException("the JVM lacks module " + MODULE + " even after adding it; use a JDK 17+");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        command.addAll(jvmArgs);
        command.add("--add-modules=" + MODULE);
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("-XX:MaxDirectMemorySize"))) {
            // Dummy weights live in direct buffers; a 1B-parameter F32 model needs ~5 GB of them.
            command.add("-XX:MaxDirectMemorySize=64g");
        }
        command.add("-D" + MARKER + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
        return child.waitFor();
    }
}
