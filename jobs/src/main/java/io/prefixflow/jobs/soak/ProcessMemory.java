package io.prefixflow.jobs.soak;

/**
 * One process's memory at one sample.
 *
 * @param heapAfterGcBytes heap in use right after a full GC ({@link HeapProbe}); NaN when it could not be read
 * @param rssBytes         resident set size ({@link Rss}); NaN when it could not be read
 */
record ProcessMemory(double heapAfterGcBytes, double rssBytes) {
}
