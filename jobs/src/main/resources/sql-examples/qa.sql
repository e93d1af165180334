-- Questions over shared documents: every question about a document repeats the document in front of it.
-- ROUTE_BY_KEY partitions the rows by document before ML_PREDICT, so with several slots each document's
-- questions still meet in one slot and its prefix is computed once there.
-- Run: java -jar prefixflow.jar sql --file qa.sql --parallelism 2
CREATE TEMPORARY VIEW documents AS SELECT * FROM (VALUES
  ('doc0', 'Lily lived in a small blue house by the sea. Every morning she walked to the beach with her dog Spot.'
      || ' They looked for shells and played in the sand. One day they found a big white shell that sang when you'
      || ' held it to your ear. Lily was very happy. '),
  ('doc1', 'Tim had a red truck and a green truck. He liked the red truck best because it was fast. His friend Sam'
      || ' liked the green truck because it was big. They played with the trucks in the garden until the sun went'
      || ' down, and then they went inside to eat soup. ')) AS d(doc_id, body);

CREATE TEMPORARY VIEW questions AS SELECT * FROM (VALUES
  ('q0', 'Question: Who was with Lily? Answer:'),
  ('q1', 'Question: What did they find? Answer:'),
  ('q2', 'Question: How did she feel? Answer:')) AS q(question_id, question);

CREATE TEMPORARY VIEW requests AS
SELECT doc_id || '-' || question_id AS id, doc_id, body || question AS prompt
FROM documents CROSS JOIN questions;

CREATE TEMPORARY SYSTEM FUNCTION ROUTE_BY_KEY AS 'io.prefixflow.operator.sql.RouteByKey';
CREATE TEMPORARY VIEW routed AS SELECT * FROM ROUTE_BY_KEY(input => TABLE requests PARTITION BY doc_id);

CREATE MODEL reader
  INPUT (prompt STRING)
  OUTPUT (completion STRING, cached_prompt_tokens INT)
  WITH ('provider' = 'prefixflow', 'model' = 'builtin:stories260K', 'max-tokens' = '24');

SELECT id, completion, cached_prompt_tokens
FROM ML_PREDICT(TABLE routed, MODEL reader, DESCRIPTOR(prompt), MAP['async', 'false']);
