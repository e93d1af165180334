package io.prefixflow.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSpecTest {
    @Test
    void savesAndLoadsTheSameSpec(@TempDir Path dir) throws Exception {
        ClusterSpec spec = new ClusterSpec(new ClusterPorts(1001, 1002, 1003, 1004, 20000), 3, 2, 1024, 1536,
                List.of("/a/classes", "/b/x.jar"));
        spec.save(dir.resolve("cluster.properties"));
        assertEquals(spec, ClusterSpec.load(dir.resolve("cluster.properties")));
    }

    @Test
    void noClusterNamesTheWorkDir(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ClusterSpec.load(dir.resolve("cluster.properties")));
        assertTrue(e.getMessage().contains("cluster start --work-dir " + dir), e.getMessage());
    }

    @Test
    void refusesNoTaskManagersAndBadPorts() {
        ClusterPorts ports = new ClusterPorts(1, 2, 3, 4, 0);
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(ports, 0, 2, 1024, 1536, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClusterPorts(0, 2, 3, 4, 0));
        assertThrows(IllegalStateException.class, () -> ports.taskManagerMetricsPort(1));
        assertEquals(20003, new ClusterPorts(1, 2, 3, 4, 20000).taskManagerMetricsPort(3));
    }
}
