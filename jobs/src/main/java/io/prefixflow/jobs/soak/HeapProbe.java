package io.prefixflow.jobs.soak;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The heap a process keeps after a full collection: attaches to it once (the JDK's attach API), starts its
 * local JMX agent, and on each {@link #heapAfterGcBytes()} calls {@code MemoryMXBean.gc()} (the same
 * {@code System.gc()} as {@code jcmd <pid> GC.run}: a full, stop-the-world collection with the G1 collector the
 * cluster's JVMs use) and then reads {@code MemoryMXBean.getHeapMemoryUsage().getUsed()}.
 *
 * <p>NOTE: this is in-process and cheap for the sampler; forking {@code jcmd} twice per process every 10 s costs
 * a JVM start each time, which a 2-core machine feels. The agent adds a few threads to the target, once.
 */
final class HeapProbe implements AutoCloseable {
    private final long pid;
    private final JMXConnector connector;
    private final MemoryMXBean memory;

    private HeapProbe(long pid, JMXConnector connector, MemoryMXBean memory) {
        this.pid = pid;
        this.connector = connector;
        this.memory = memory;
    }

    /** Attaches to process {@code pid} (same user). */
    static HeapProbe attach(long pid) throws IOException {
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IOException("cannot attach to pid " + pid + ": " + e.getMessage(), e);
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        return new HeapProbe(pid, connector, memory);
    }

    long pid() {
        return pid;
    }

    /** Runs a full GC in the process, then returns its heap in use. */
    long heapAfterGcBytes() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
