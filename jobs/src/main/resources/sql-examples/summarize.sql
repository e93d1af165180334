-- Summarization: one shared instruction in front of every story, so its KV blocks are computed once per slot
-- and served from the prefix cache for the other rows (see cached_prompt_tokens).
-- Run: java -jar prefixflow.jar sql --file summarize.sql
CREATE TEMPORARY VIEW stories AS SELECT * FROM (VALUES
  ('summarize-0', 'Ben wanted a cookie. He asked his dad. His dad said yes, and they ate cookies together.'),
  ('summarize-1', 'A cat lost her ball under the bed. Her friend the dog helped her find it.'),
  ('summarize-2', 'The sun was hot, so Mia went to swim in the lake with her brother.')) AS t(id, story);

CREATE TEMPORARY VIEW requests AS
SELECT id, 'Here is a story for a child. Read it and then say in one short sentence what happened. The sentence'
    || ' should be simple and kind, and it should use easy words that a small child can understand.' || CHR(10)
    || 'Story: ' || story || CHR(10) || 'In short:' AS prompt
FROM stories;

CREATE MODEL summarizer
  INPUT (prompt STRING)
  OUTPUT (completion STRING, prompt_tokens INT, cached_prompt_tokens INT)
  WITH ('provider' = 'prefixflow', 'model' = 'builtin:stories260K', 'max-tokens' = '32');

-- 'async' = 'false' serves the rows one after the other, so each finds the instruction already cached.
SELECT id, completion, prompt_tokens, cached_prompt_tokens
FROM ML_PREDICT(TABLE requests, MODEL summarizer, DESCRIPTOR(prompt), MAP['async', 'false']);
