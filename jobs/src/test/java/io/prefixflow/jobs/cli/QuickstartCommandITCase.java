package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code quickstart} with its defaults (built-in model, 32 prompts), in-process: every prompt completes, exit 0. */
class QuickstartCommandITCase {
    @Test
    @Timeout(120)
    void quickstartRunsEndToEndAndExitsZero() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute("quickstart");
        String printed = out.toString();
        assertEquals(0, status, () -> "stdout:\n" + printed + "\nstderr:\n" + err);
        for (String id : new String[] {"generate-0", "summarize-0", "qa-doc0-0", "chat-turn-0"}) {
            assertTrue(printed.contains("[" + id + "]"), () -> id + " missing from\n" + printed);
        }
        assertTrue(printed.contains("requests            32"), printed);
        assertTrue(printed.contains("completions         32 (0 errors)"), printed);
        assertTrue(printed.contains("prefix-cache hits"), printed);
    }
}
