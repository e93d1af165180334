-- Story generation: short prompts in, longer completions out.
-- Run: java -jar prefixflow.jar sql --file generate.sql
CREATE TEMPORARY VIEW openings AS SELECT * FROM (VALUES
  ('generate-0', 'Once upon a time, there was a little dog named Max.'),
  ('generate-1', 'One day, a girl named Lily found a shiny red ball.'),
  ('generate-2', 'There was a big tree next to a small house.'),
  ('generate-3', 'A little bird wanted to fly over the hill.')) AS t(id, prompt);

CREATE MODEL story
  INPUT (prompt STRING)
  OUTPUT (completion STRING, finish_reason STRING, completion_tokens INT)
  WITH ('provider' = 'prefixflow', 'model' = 'builtin:stories260K', 'max-tokens' = '64',
        'temperature' = '0.7', 'top-p' = '0.9', 'seed' = '42');

SELECT id, completion, finish_reason, completion_tokens
FROM ML_PREDICT(TABLE openings, MODEL story, DESCRIPTOR(prompt));
