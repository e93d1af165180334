/** Model-independent checks of an inference request (fields, prompt shape, sampling parameters). */
package io.prefixflow.connectors.validation;
