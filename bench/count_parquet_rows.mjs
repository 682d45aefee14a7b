// Counts the rows of Parquet files with DuckDB, for bench/smoke_test.sh's independent count of
// converted records: prints the number of rows whose `rqid` (the load generator's tag) is set.
//   node count_parquet_rows.mjs FILE...
// @duckdb/node-api comes from tests/integration's pinned node_modules.

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/integration/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node count_parquet_rows.mjs FILE...');
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:');
const duck = await db.connect();
const list = files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ');
const reader = await duck.runAndReadAll(
  `SELECT count(*) AS n FROM read_parquet([${list}]) WHERE rqid IS NOT NULL`);
console.log(String(reader.getRowObjects()[0].n));
