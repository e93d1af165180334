/** The operator's Flink {@code ConfigOption}s, their checked values, and model loading (built-in model included). */
package io.prefixflow.operator.config;
