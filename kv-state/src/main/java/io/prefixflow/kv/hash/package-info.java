/** 128-bit block hashes chained over parents, and the namespaces (model, tenant salt) that separate them. */
package io.prefixflow.kv.hash;
