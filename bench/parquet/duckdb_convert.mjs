// DuckDB's side of bench/parquet/compare: converts DIR/records.jsonl (the table DIR/columns.json)
// to snappy Parquet with one thread, REPEAT times, and prints the best CPU time (the process's user
// + system time, as sluice-parquet-bench measures its own) and the best wall time as JSON.
//   node duckdb_convert.mjs DIR [REPEAT]
// @duckdb/node-api comes from tests/integration's pinned node_modules.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/integration/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [dir, repeatText = '3'] = process.argv.slice(2);
const repeat = Number(repeatText);
const HIVE_TO_DUCKDB = {
  string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', float: 'FLOAT',
  boolean: 'BOOLEAN', timestamp: 'TIMESTAMP',
};
const columns = JSON.parse(fs.readFileSync(path.join(dir, 'columns.json'), 'utf8'));
const struct = columns.map(({ name, type }) => `${name}: '${HIVE_TO_DUCKDB[type]}'`).join(', ');
const input = path.join(dir, 'records.jsonl');
const output = path.join(dir, 'duckdb.parquet');

const db = await DuckDBInstance.create(':memory:');
const duck = await db.connect();
await duck.run('SET threads = 1');
let best = Infinity;
let bestWall = Infinity;
for (let run = 0; run < repeat; ++run) {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await duck.run(`COPY (SELECT * FROM read_json('${input}', format = 'newline_delimited',
                        columns = {${struct}})) TO '${output}' (FORMAT parquet, COMPRESSION snappy)`);
  const cpu = process.cpuUsage(cpuStart);
  best = Math.min(best, (cpu.user + cpu.system) / 1e6);
  bestWall = Math.min(bestWall, Number(process.hrtime.bigint() - start) / 1e9);
}
const rows = (await duck.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${output}')`))
  .getRowObjectsJson()[0].n;
const jsonBytes = fs.statSync(input).size;
console.log(JSON.stringify({
  records: rows, json_bytes: jsonBytes, cpu_seconds: best, wall_seconds: bestWall,
  records_per_s: rows / best,
  json_mb_per_s: jsonBytes / best / 1e6, parquet_bytes: fs.statSync(output).size,
}));
