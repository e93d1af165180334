CREATE TEMPORARY VIEW requests AS SELECT * FROM (VALUES ('r0','x')) AS t(id, prompt);
CREATE MODEL reader INPUT (prompt STRING) OUTPUT (completion STRING)
  WITH ('provider' = 'prefixflow', 'model' = 'dummy:llama-110m', 'max-tokens' = '1', 'temperature' = '0');
SELECT id, completion FROM ML_PREDICT(TABLE requests, MODEL reader, DESCRIPTOR(prompt));
