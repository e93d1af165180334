package io.prefixflow.runtime.engine;

/** What other threads ask of the engine thread, through its inbox. */
sealed interface Command {
    /** Take a new request. */
    record Submit(ActiveRequest request) implements Command {
    }

    /** Abort a live request. */
    record Abort(String requestId) implements Command {
    }

    /** Stop the engine thread, aborting whatever is pending. */
    enum Close implements Command {
        INSTANCE
    }
}
