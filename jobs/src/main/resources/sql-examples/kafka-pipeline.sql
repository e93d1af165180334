-- Kafka table of prompts -> ML_PREDICT -> Kafka table of completions, then read the completions back.
-- Run: java -jar prefixflow.jar sql --file kafka-pipeline.sql
-- `sql` starts an in-process broker, creates the topics below and puts its address where the script says
-- ${kafka.bootstrap.servers} (or give --bootstrap-servers HOST:PORT for your own Kafka).

CREATE TABLE prompts (
  id STRING,
  prompt STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'sql-prompts',
  'properties.bootstrap.servers' = '${kafka.bootstrap.servers}',
  'properties.group.id' = 'prefixflow-sql',
  'scan.startup.mode' = 'earliest-offset',
  -- Read what is there now and stop, so the INSERT below ends by itself; drop it to serve forever.
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json'
);

CREATE TABLE completions (
  id STRING,
  completion STRING,
  finish_reason STRING,
  completion_tokens INT,
  error STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'sql-completions',
  'properties.bootstrap.servers' = '${kafka.bootstrap.servers}',
  'properties.group.id' = 'prefixflow-sql',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json'
);

CREATE MODEL story
  INPUT (prompt STRING)
  OUTPUT (completion STRING, finish_reason STRING, completion_tokens INT, error STRING)
  WITH ('provider' = 'prefixflow', 'model' = 'builtin:stories260K', 'max-tokens' = '32');

-- Some prompts to serve (a producer would normally write these).
INSERT INTO prompts VALUES
  ('p1', 'Once upon a time, there was a little dog named Max.'),
  ('p2', 'One day, a girl named Lily found a shiny red ball.'),
  ('p3', 'Tom and his mom went to the park.');

INSERT INTO completions
SELECT id, completion, finish_reason, completion_tokens, error
FROM ML_PREDICT(TABLE prompts, MODEL story, DESCRIPTOR(prompt));

SELECT * FROM completions;
