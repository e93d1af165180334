-- A conversation whose history grows turn by turn: each turn's prompt is the previous one plus a new exchange,
-- so the slot's prefix cache serves the history.
-- Run: java -jar prefixflow.jar sql --file chat.sql
CREATE TEMPORARY VIEW turns AS SELECT * FROM (VALUES
  (0, 'Mom: Hello, Tim! What did you do today?' || CHR(10) || 'Tim:'),
  (1, 'Mom: Hello, Tim! What did you do today?' || CHR(10) || 'Tim: I played with my ball.' || CHR(10)
      || 'Mom: That sounds fun. Who did you play with?' || CHR(10) || 'Tim:'),
  (2, 'Mom: Hello, Tim! What did you do today?' || CHR(10) || 'Tim: I played with my ball.' || CHR(10)
      || 'Mom: That sounds fun. Who did you play with?' || CHR(10) || 'Tim: I played with my ball.' || CHR(10)
      || 'Mom: What will you do tomorrow?' || CHR(10) || 'Tim:')) AS t(turn, prompt);

CREATE MODEL chat
  INPUT (prompt STRING)
  OUTPUT (completion STRING, cached_prompt_tokens INT)
  WITH ('provider' = 'prefixflow', 'model' = 'builtin:stories260K', 'max-tokens' = '32');

SELECT turn, completion, cached_prompt_tokens
FROM ML_PREDICT(TABLE turns, MODEL chat, DESCRIPTOR(prompt), MAP['async', 'false']);
