// The Parquet writer (src/formats/parquet) checked by two independent readers: files written by
// the parquet_write_fixture tool are read back with DuckDB (read_parquet, parquet_schema,
// parquet_metadata) and hyparquet and compared value by value with the input JSON, for every
// supported type, nulls, unicode and large strings, each compression and page version, empty
// files, several row groups and dictionary fallback; nested structs, lists and maps (null vs
// empty, nulls inside, struct in list in struct, list of lists); and the JSON SerDe options
// (OpenX: CaseInsensitive, ConvertDotsInJsonKeysToUnderscores, ColumnToJsonKeyMappings, epoch
// timestamps; Hive: strict types, TimestampFormats). Needs PARQUET_WRITE_FIXTURE.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const TOOL = process.env.PARQUET_WRITE_FIXTURE;
const COLUMNS = [
  { name: 'b', type: 'boolean' },
  { name: 'ti', type: 'tinyint' },
  { name: 'si', type: 'smallint' },
  { name: 'i', type: 'int' },
  { name: 'bi', type: 'bigint' },
  { name: 'f', type: 'float' },
  { name: 'd', type: 'double' },
  { name: 'dec', type: 'decimal(9,2)' },
  { name: 'dec38', type: 'decimal(38,4)' },
  { name: 's', type: 'string' },
  { name: 'vc', type: 'varchar(20)' },
  { name: 'bin', type: 'binary' },
  { name: 'dt', type: 'date' },
  { name: 'ts', type: 'timestamp' },
];
const WORDS = ['alpha', 'héllo wörld', '日本語テキスト', 'emoji 😀🎉', 'a\u0301', '', 'tab\tquote"back\\'];

let tmp;
let db;
let duck;

before(async () => {
  assert.ok(TOOL, 'PARQUET_WRITE_FIXTURE must name the parquet_write_fixture binary');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-parquet-'));
  db = await DuckDBInstance.create(':memory:');
  duck = await db.connect();
});

after(() => {
  duck?.closeSync?.();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Deterministic pseudo-random numbers (xorshift32).
function makeRandom(seed) {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

// Row `n` as an object of input values (undefined = key absent, null = JSON null).
function makeRow(n, random, bigStrings) {
  const pick = (make) => {
    const r = random();
    if (r < 0.1) return undefined;
    if (r < 0.2) return null;
    return make();
  };
  const int = (low, high) => low + Math.floor(random() * (high - low + 1));
  const day = int(-30000, 60000);
  const date = new Date(day * 86400000).toISOString().slice(0, 10);
  const millis = int(-2e12, 4e12);
  const nanosDigits = String(int(0, 999999)).padStart(6, '0');
  return {
    b: pick(() => random() < 0.5),
    ti: pick(() => [-128, 127, 0][n % 3] ?? int(-128, 127)),
    si: pick(() => int(-32768, 32767)),
    i: pick(() => (n % 5 === 0 ? [-2147483648, 2147483647][n % 2] : int(-1e6, 1e6))),
    bi: pick(() => (n % 4 === 0 ? (n % 8 === 0 ? '9223372036854775807' : '-9223372036854775808')
                                : String(int(-1e15, 1e15)))),
    f: pick(() => Math.fround(int(-1e6, 1e6) / 64)),
    d: pick(() => (n % 7 === 0 ? 1e300 * (random() - 0.5) : int(-1e9, 1e9) / 1024)),
    dec: pick(() => `${int(-9999999, 9999999)}.${String(int(0, 99)).padStart(2, '0')}`),
    dec38: pick(() => `${n % 2 ? '-' : ''}${'9'.repeat(int(1, 34))}.${String(int(0, 9999)).padStart(4, '0')}`),
    s: pick(() => (bigStrings && n % 50 === 7 ? 'x'.repeat(200000) + WORDS[n % WORDS.length]
                                              : `${WORDS[n % WORDS.length]} ${n % 13}`)),
    vc: pick(() => WORDS[int(0, WORDS.length - 1)]),
    bin: pick(() => `bytes-${n % 9}`),
    dt: pick(() => (n % 3 === 0 ? day : date)),
    ts: pick(() => (n % 3 === 0 ? (Math.abs(millis) >= 1e11 ? millis : Math.trunc(millis / 1000))
                                : new Date(millis).toISOString().replace('T', ' ').replace('Z', '') + nanosDigits)),
  };
}

// Nanoseconds since the epoch (BigInt) of a timestamp input. OpenXJsonSerDe reads an integer
// as epoch seconds below 10^11 in magnitude, else as epoch milliseconds.
function timestampNanos(value) {
  if (typeof value === 'number') return BigInt(value) * (Math.abs(value) < 1e11 ? 1000000000n : 1000000n);
  const millis = Date.parse(value.slice(0, 23) + 'Z');
  return BigInt(millis) * 1000000n + BigInt(value.slice(23).padEnd(6, '0'));
}

function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

function dateText(value) {
  return typeof value === 'number' ? new Date(value * 86400000).toISOString().slice(0, 10) : value;
}

// decimal text with exactly `scale` digits after the point (inputs never need rounding here).
function decimalText(value, scale) {
  const text = String(value);
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const digits = BigInt(whole + fraction.padEnd(scale, '0'));
  if (digits === 0n) return (0).toFixed(scale);
  const body = digits.toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${body.slice(0, body.length - scale)}.${body.slice(body.length - scale)}`;
}

// DuckDB select list: every column as a value JSON can hold exactly.
const DUCK_SELECT = COLUMNS.map(({ name, type }) => {
  if (type === 'bigint' || type.startsWith('decimal') || type === 'date') return `${name}::VARCHAR AS ${name}`;
  if (type === 'binary') return `hex(${name}) AS ${name}`;
  if (type === 'timestamp') return `epoch_us(${name})::VARCHAR AS ${name}`;
  return name;
}).join(', ');

function expectedDuck(row) {
  const out = {};
  for (const { name, type } of COLUMNS) {
    const v = row[name];
    if (v === undefined || v === null) { out[name] = null; continue; }
    switch (type) {
      case 'bigint': out[name] = String(v); break;
      case 'float': out[name] = Math.fround(v); break;
      case 'binary': out[name] = Buffer.from(v).toString('hex').toUpperCase(); break;
      case 'date': out[name] = dateText(v); break;
      case 'timestamp': out[name] = String(floorDiv(timestampNanos(v), 1000n)); break;
      default:
        out[name] = type.startsWith('decimal') ? decimalText(v, Number(type.match(/,(\d+)/)[1])) : v;
    }
  }
  return out;
}

// `int96`: the file stores nanoseconds, which hyparquet truncates toward zero to a JS Date's
// milliseconds; otherwise it stores milliseconds, floored by the writer.
function checkHyparquet(actual, row, where, int96 = true) {
  for (const { name, type } of COLUMNS) {
    const v = row[name];
    const got = actual[name];
    const at = `${where} column ${name}`;
    if (v === undefined || v === null) { assert.equal(got, null, at); continue; }
    switch (type) {
      case 'bigint': assert.equal(got, BigInt(v), at); break;
      case 'float': assert.equal(got, Math.fround(v), at); break;
      case 'date': assert.equal(got.toISOString().slice(0, 10), dateText(v), at); break;
      case 'timestamp':
        assert.equal(BigInt(got.getTime()),
                     int96 ? timestampNanos(v) / 1000000n : floorDiv(timestampNanos(v), 1000000n), at);
        break;
      default:
        // hyparquet turns decimals into doubles by its own arithmetic (DuckDB checks them exactly).
        if (type.startsWith('decimal')) {
          assert.ok(Math.abs(got - Number(v)) <= Math.abs(Number(v)) * 1e-15, `${at}: ${got} vs ${v}`);
        }
        else assert.deepEqual(got, v, at);
    }
  }
}

function writeFile(name, rows, settings = {}, extraLines = []) {
  const input = path.join(tmp, `${name}.jsonl`);
  const output = path.join(tmp, `${name}.parquet`);
  const config = path.join(tmp, `${name}.json`);
  const lines = rows.map((row) => JSON.stringify(row)).concat(extraLines);
  fs.writeFileSync(input, lines.length ? lines.join('\n') + '\n' : '');
  fs.writeFileSync(config, JSON.stringify({ columns: COLUMNS, ...settings }));  // settings may replace columns
  const stdout = execFileSync(TOOL, [config, input, output], { encoding: 'utf8' });
  const rejected = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  return { file: output, rejected };
}

async function duckRows(file, select = DUCK_SELECT) {
  const reader = await duck.runAndReadAll(`SELECT ${select} FROM read_parquet('${file}')`);
  return reader.getRowObjectsJson();
}

async function checkFile(file, rows, where) {
  const duckActual = await duckRows(file);
  assert.equal(duckActual.length, rows.length, `${where}: DuckDB row count`);
  rows.forEach((row, n) => assert.deepEqual(duckActual[n], expectedDuck(row), `${where} DuckDB row ${n}`));
  const hyp = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
  assert.equal(hyp.length, rows.length, `${where}: hyparquet row count`);
  rows.forEach((row, n) => checkHyparquet(hyp[n], row, `${where} hyparquet row ${n}`));
}

async function metadata(file) {
  const reader = await duck.runAndReadAll(
    `SELECT row_group_id, path_in_schema, compression, encodings, num_values, stats_min_value,
            stats_max_value, stats_null_count, dictionary_page_offset
     FROM parquet_metadata('${file}') ORDER BY row_group_id, column_id`);
  return reader.getRowObjectsJson();
}

function makeRows(count, seed, bigStrings = false) {
  const random = makeRandom(seed);
  return Array.from({ length: count }, (_, n) => {
    const row = makeRow(n, random, bigStrings);
    for (const key of Object.keys(row)) if (row[key] === undefined) delete row[key];
    return row;
  });
}

for (const compression of ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD']) {
  for (const version of ['V1', 'V2']) {
    test(`every type read back by DuckDB and hyparquet: ${compression} ${version}`, async () => {
      const rows = makeRows(300, 17 + compression.length + version.length, true);
      const { file, rejected } = writeFile(`all-${compression}-${version}`, rows, { compression, version });
      assert.deepEqual(rejected, []);
      await checkFile(file, rows, `${compression} ${version}`);
      const meta = await metadata(file);
      assert.equal(meta.length, COLUMNS.length);
      for (const column of meta) assert.equal(column.compression, compression);
    });
  }
}

test('schema maps Hive types as Hive-on-Parquet does', async () => {
  const { file } = writeFile('schema', makeRows(3, 5));
  const reader = await duck.runAndReadAll(
    `SELECT name, type, converted_type, repetition_type, scale, precision, type_length
     FROM parquet_schema('${file}')`);
  const schema = Object.fromEntries(reader.getRowObjectsJson().map((r) => [r.name, r]));
  const expect = {
    b: ['BOOLEAN', null], ti: ['INT32', 'INT_8'], si: ['INT32', 'INT_16'], i: ['INT32', null],
    bi: ['INT64', null], f: ['FLOAT', null], d: ['DOUBLE', null], dec: ['FIXED_LEN_BYTE_ARRAY', 'DECIMAL'],
    dec38: ['FIXED_LEN_BYTE_ARRAY', 'DECIMAL'], s: ['BYTE_ARRAY', 'UTF8'], vc: ['BYTE_ARRAY', 'UTF8'],
    bin: ['BYTE_ARRAY', null], dt: ['INT32', 'DATE'], ts: ['INT96', null],
  };
  for (const [name, [type, converted]] of Object.entries(expect)) {
    assert.equal(schema[name].type, type, name);
    assert.equal(schema[name].converted_type, converted, name);
    assert.equal(schema[name].repetition_type, 'OPTIONAL', name);
  }
  assert.equal(schema.dec.type_length, '4');
  assert.equal(schema.dec.precision, '9');
  assert.equal(schema.dec.scale, '2');
  assert.equal(schema.dec38.type_length, '16');
  const created = await duck.runAndReadAll(`SELECT created_by FROM parquet_file_metadata('${file}')`);
  assert.equal(created.getRowObjectsJson()[0].created_by, 'sluice');
});

test('statistics: min, max and null count per column chunk', async () => {
  const rows = makeRows(200, 99);
  const { file } = writeFile('stats', rows);
  const meta = Object.fromEntries((await metadata(file)).map((m) => [m.path_in_schema, m]));
  const present = (name) => rows.map((r) => r[name]).filter((v) => v !== undefined && v !== null);
  for (const { name } of COLUMNS) {
    assert.equal(meta[name].stats_null_count, String(rows.length - present(name).length), name);
  }
  const ints = present('i');
  assert.equal(meta.i.stats_min_value, String(Math.min(...ints)));
  assert.equal(meta.i.stats_max_value, String(Math.max(...ints)));
  const bigs = present('bi').map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.equal(meta.bi.stats_min_value, String(bigs[0]));
  assert.equal(meta.bi.stats_max_value, String(bigs.at(-1)));
  const strings = present('s').map((s) => Buffer.from(s)).sort(Buffer.compare);
  assert.equal(meta.s.stats_min_value, strings[0].toString());
  assert.equal(meta.s.stats_max_value, strings.at(-1).toString());
  const dates = present('dt').map(dateText).sort();
  assert.equal(meta.dt.stats_min_value, dates[0]);
  assert.equal(meta.dt.stats_max_value, dates.at(-1));
  const decimals = present('dec').map(Number).sort((a, b) => a - b);
  assert.equal(Number(meta.dec.stats_min_value), decimals[0]);
  assert.equal(Number(meta.dec.stats_max_value), decimals.at(-1));
  assert.equal(meta.ts.stats_min_value, null);  // INT96: no defined order
  // Min/max let DuckDB skip row groups: a filter outside the range matches nothing.
  const none = await duck.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${file}') WHERE i > ${ints.reduce((a, b) => Math.max(a, b))}`);
  assert.equal(none.getRowObjectsJson()[0].n, '0');
});

test('empty file: zero rows, full schema', async () => {
  const { file } = writeFile('empty', []);
  assert.deepEqual(await duckRows(file), []);
  const count = await duck.runAndReadAll(`SELECT count(*) AS n FROM parquet_schema('${file}')`);
  assert.equal(count.getRowObjectsJson()[0].n, String(COLUMNS.length + 1));
  const hyp = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
  assert.deepEqual(hyp, []);
});

test('several row groups and pages, dictionary fallback to plain', async () => {
  const rows = makeRows(3000, 4242);
  const { file } = writeFile('groups', rows, {
    compression: 'SNAPPY', row_group_bytes: 60000, page_bytes: 2000, dictionary_limit_bytes: 200,
  });
  await checkFile(file, rows, 'row groups');
  const meta = await metadata(file);
  const groups = new Set(meta.map((m) => m.row_group_id));
  assert.ok(groups.size > 3, `expected several row groups, got ${groups.size}`);
  const byColumn = (name) => meta.filter((m) => m.path_in_schema === name);
  // "bin" has 9 distinct short values: dictionary-encoded in every row group. "s" exceeds 200 bytes.
  for (const m of byColumn('bin')) assert.match(m.encodings, /PLAIN_DICTIONARY/);
  for (const m of byColumn('s')) assert.doesNotMatch(m.encodings, /DICTIONARY/);
  assert.equal(byColumn('i').reduce((sum, m) => sum + Number(m.num_values), 0), rows.length);
});

test('timestamps as INT64 TIMESTAMP_MILLIS', async () => {
  const rows = makeRows(100, 7);
  const { file } = writeFile('millis', rows, { timestamp: 'INT64_MILLIS', version: 'V2', compression: 'ZSTD' });
  const actual = await duckRows(file, 'epoch_ms(ts)::VARCHAR AS ts');
  rows.forEach((row, n) => {
    const expected = row.ts === undefined || row.ts === null ? null : String(floorDiv(timestampNanos(row.ts), 1000000n));
    assert.equal(actual[n].ts, expected, `row ${n}`);
  });
  const schema = await duck.runAndReadAll(`SELECT type, converted_type FROM parquet_schema('${file}') WHERE name = 'ts'`);
  assert.deepEqual(schema.getRowObjectsJson()[0], { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' });
  const hyp = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
  rows.forEach((row, n) => checkHyparquet(hyp[n], row, `millis row ${n}`, false));
});

test('records that do not fit the schema are rejected one by one, the rest are written', async () => {
  const rows = makeRows(20, 3);
  const bad = ['{"i": "twelve"}', '{"ti": 300}', '[1,2]', '{"dec": 12345678.901}', '{"vc": "' + 'x'.repeat(21) + '"}'];
  const { file, rejected } = writeFile('rejects', rows, {}, bad);
  assert.deepEqual(rejected.map((r) => r.line), [21, 22, 23, 24, 25]);
  assert.equal(rejected[0].error, 'column "i" (int): value "twelve" is not an integer');
  assert.match(rejected[1].error, /column "ti" \(tinyint\): value 300 is out of range \(-128\.\.127\)/);
  assert.match(rejected[2].error, /not a JSON object/);
  assert.match(rejected[3].error, /needs more than 9 digits at scale 2/);
  assert.match(rejected[4].error, /more than the 20 the type allows/);
  await checkFile(file, rows, 'rejects');
});

// ---- Nested types (struct, array, map) and SerDe options ----

// Test-side type trees; hiveName gives the catalog's type text.
const P = (k) => ({ k });
const ARRAY = (e) => ({ k: 'array', e });
const MAP = (key, v) => ({ k: 'map', key, v });
const STRUCT = (fields) => ({ k: 'struct', fields });

function hiveName(t) {
  switch (t.k) {
    case 'array': return `array<${hiveName(t.e)}>`;
    case 'map': return `map<${hiveName(t.key)},${hiveName(t.v)}>`;
    case 'struct': return `struct<${Object.entries(t.fields).map(([n, f]) => `${n}:${hiveName(f)}`).join(',')}>`;
    default: return t.k;
  }
}

const NESTED = {
  id: P('int'),
  tags: ARRAY(P('string')),
  scores: ARRAY(P('double')),
  geo: STRUCT({ lat: P('double'), lon: P('double'), city: P('string') }),
  attrs: MAP(P('string'), P('string')),
  counts: MAP(P('int'), P('bigint')),
  events: ARRAY(STRUCT({
    name: P('string'), at: P('timestamp'), labels: ARRAY(P('string')),
    extra: MAP(P('string'), P('decimal(10,2)')),
  })),
  outer: STRUCT({
    inner: STRUCT({ items: ARRAY(STRUCT({ x: P('int'), y: ARRAY(P('smallint')) })) }),
    flag: P('boolean'),
  }),
  matrix: ARRAY(ARRAY(P('int'))),
  days: MAP(P('string'), P('date')),
};
const NESTED_COLUMNS = Object.entries(NESTED).map(([name, t]) => ({ name, type: hiveName(t) }));

// A random value of type `t` (null sometimes; lists and maps of 0..3 entries).
function randomValue(t, random, n) {
  if (random() < 0.12) return null;
  const int = (low, high) => low + Math.floor(random() * (high - low + 1));
  switch (t.k) {
    case 'array': return Array.from({ length: int(0, 3) }, () => randomValue(t.e, random, n));
    case 'map': {
      const out = {};
      for (let i = int(0, 3); i > 0; --i) {
        const key = t.key.k === 'int' ? String(int(-50, 50)) : `key-${int(0, 9)}`;
        out[key] = randomValue(t.v, random, n);
      }
      return out;
    }
    case 'struct': {
      const out = {};
      for (const [name, f] of Object.entries(t.fields)) {
        if (random() < 0.1) continue;  // missing field: null
        out[name] = randomValue(f, random, n);
      }
      return out;
    }
    case 'int': return int(-2147483648, 2147483647);
    case 'smallint': return int(-32768, 32767);
    case 'bigint': return String(int(-1e15, 1e15)) + '000';
    case 'double': return int(-1e9, 1e9) / 256;
    case 'boolean': return random() < 0.5;
    case 'string': return n % 40 === 3 ? 'y'.repeat(70000) : WORDS[int(0, WORDS.length - 1)];
    case 'date': return new Date(int(-30000, 60000) * 86400000).toISOString().slice(0, 10);
    case 'timestamp':
      return new Date(int(-2e9, 4e9) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    case 'decimal(10,2)': return `${int(-99999999, 99999999)}.${String(int(0, 99)).padStart(2, '0')}`;
    default: throw new Error(`no generator for ${t.k}`);
  }
}

// The canonical form compared across input and readers: maps as key-sorted [key, value] pairs,
// 64-bit integers, decimals, dates and timestamps as text.
function canon(t, v, reader) {
  if (v === undefined || v === null) return null;
  switch (t.k) {
    case 'array': return v.map((e) => canon(t.e, e, reader));
    case 'map': {
      const pairs = reader === 'duckdb' ? v.map(({ key, value }) => [key, value]) : Object.entries(v);
      return pairs.map(([key, value]) => [String(key), canon(t.v, value, reader)])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    }
    case 'struct':
      return Object.fromEntries(Object.entries(t.fields).map(([name, f]) => [name, canon(f, v[name], reader)]));
    case 'bigint': return String(v);
    case 'decimal(10,2)': return reader === 'hyparquet' ? Number(v).toFixed(2) : decimalText(v, 2);
    case 'date': return v instanceof Date ? v.toISOString().slice(0, 10) : v;
    case 'timestamp': return v instanceof Date ? v.toISOString().slice(0, 19).replace('T', ' ') : v;
    default: return v;
  }
}

function canonRow(columns, row, reader) {
  return Object.fromEntries(Object.entries(columns).map(([name, t]) => [name, canon(t, row[name], reader)]));
}

// Rows that pin down the corner cases, then random ones.
const NESTED_EDGE_ROWS = [
  { id: 1, tags: [], scores: null, attrs: {}, counts: null, matrix: [], events: [] },
  { id: 2, tags: [null, 'x', null], scores: [null], attrs: { a: null }, matrix: [[], null, [1, null, 3]] },
  { id: 3, geo: {}, outer: { inner: { items: [] } }, events: [null, {}] },
  { id: 4, geo: null, outer: { inner: null, flag: false }, days: { d: '2000-02-29' } },
  { id: 5, outer: { inner: { items: [{ x: 1, y: [] }, null, { x: null, y: [null, 2] }, {}] }, flag: true } },
  { id: 6, events: [{ name: 'n', at: '1969-12-31 23:59:59', labels: ['a', null], extra: { e: '-0.01' } }] },
  { id: 7 },
  {},
];

function nestedRows(count, seed) {
  const random = makeRandom(seed);
  const rows = NESTED_EDGE_ROWS.map((row) => ({ ...row }));
  for (let n = 0; n < count; ++n) {
    const row = {};
    for (const [name, t] of Object.entries(NESTED)) {
      if (random() < 0.1) continue;
      row[name] = randomValue(t, random, n);
    }
    rows.push(row);
  }
  return rows;
}

async function checkNested(file, columns, rows, where) {
  const duckActual = (await duck.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson();
  assert.equal(duckActual.length, rows.length, `${where}: DuckDB row count`);
  const hyp = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
  assert.equal(hyp.length, rows.length, `${where}: hyparquet row count`);
  rows.forEach((row, n) => {
    const expected = canonRow(columns, row, 'input');
    assert.deepEqual(canonRow(columns, duckActual[n], 'duckdb'), expected, `${where} DuckDB row ${n}`);
    assert.deepEqual(canonRow(columns, hyp[n], 'hyparquet'), expected, `${where} hyparquet row ${n}`);
  });
}

for (const compression of ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD']) {
  for (const version of ['V1', 'V2']) {
    test(`nested structs, lists and maps read back: ${compression} ${version}`, async () => {
      const rows = nestedRows(150, 31 + compression.length * 3 + version.length);
      const { file, rejected } = writeFile(`nested-${compression}-${version}`, rows,
                                           { columns: NESTED_COLUMNS, compression, version });
      assert.deepEqual(rejected, []);
      await checkNested(file, NESTED, rows, `${compression} ${version}`);
    });
  }
}

test('nested: small pages and row groups cut only between rows, dictionary fallback', async () => {
  const rows = nestedRows(1500, 77);
  const { file, rejected } = writeFile('nested-small', rows, {
    columns: NESTED_COLUMNS, version: 'V2', row_group_bytes: 20000, page_bytes: 300,
    dictionary_limit_bytes: 64,
  });
  assert.deepEqual(rejected, []);
  await checkNested(file, NESTED, rows, 'small pages');
  const meta = await metadata(file);
  assert.ok(new Set(meta.map((m) => m.row_group_id)).size > 3, 'several row groups');
  // Level entries of a leaf: one per element, or one for a null or empty list.
  const tagEntries = rows.reduce((sum, r) => sum + (r.tags?.length || 1), 0);
  const tagMeta = meta.filter((m) => m.path_in_schema === 'tags, list, element');
  assert.equal(tagMeta.reduce((sum, m) => sum + Number(m.num_values), 0), tagEntries);
  const nullTags = rows.reduce((sum, r) => sum + (r.tags?.length ? r.tags.filter((t) => t === null).length : 1), 0);
  assert.equal(tagMeta.reduce((sum, m) => sum + Number(m.stats_null_count), 0), nullTags);
});

test('nested schema: standard 3-level LIST and MAP layouts', async () => {
  const { file } = writeFile('nested-schema', [], { columns: NESTED_COLUMNS });
  const reader = await duck.runAndReadAll(
    `SELECT name, type, repetition_type, converted_type, num_children FROM parquet_schema('${file}')`);
  const rows = reader.getRowObjectsJson().map((r) => [r.name, r.type, r.repetition_type, r.converted_type, r.num_children]);
  const start = rows.findIndex((r) => r[0] === 'attrs');
  assert.deepEqual(rows.slice(start, start + 4), [
    ['attrs', null, 'OPTIONAL', 'MAP', '1'],
    ['key_value', null, 'REPEATED', null, '2'],
    ['key', 'BYTE_ARRAY', 'REQUIRED', 'UTF8', null],
    ['value', 'BYTE_ARRAY', 'OPTIONAL', 'UTF8', null],
  ]);
  const matrix = rows.findIndex((r) => r[0] === 'matrix');
  assert.deepEqual(rows.slice(matrix, matrix + 5), [
    ['matrix', null, 'OPTIONAL', 'LIST', '1'],
    ['list', null, 'REPEATED', null, '1'],
    ['element', null, 'OPTIONAL', 'LIST', '1'],
    ['list', null, 'REPEATED', null, '1'],
    ['element', 'INT32', 'OPTIONAL', null, null],
  ]);
  const types = await duck.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
  const described = Object.fromEntries(types.getRowObjectsJson().map((r) => [r.column_name, r.column_type]));
  assert.equal(described.counts, 'MAP(INTEGER, BIGINT)');
  assert.equal(described.outer, 'STRUCT("inner" STRUCT(items STRUCT(x INTEGER, y SMALLINT[])[]), flag BOOLEAN)');
});

test('nested values that do not fit are rejected with their path', async () => {
  const bad = [
    '{"tags": "a"}', '{"geo": [1]}', '{"counts": {"x": 1}}', '{"outer": {"inner": {"items": [{"y": [70000]}]}}}',
    '{"attrs": []}', '{"events": [{"extra": {"k": "1e20"}}]}',
  ];
  const { file, rejected } = writeFile('nested-rejects', [{ id: 1 }], { columns: NESTED_COLUMNS }, bad);
  assert.deepEqual(rejected.map((r) => r.error), [
    'column "tags" (array<string>): value "a" is not a JSON array',
    'column "geo" (struct<lat:double,lon:double,city:string>): value [1] is not a JSON object',
    'column "counts{key}" (int): value "x" is not an integer',
    'column "outer.inner.items[].y[]" (smallint): value 70000 is out of range (-32768..32767)',
    'column "attrs" (map<string,string>): value [] is not a JSON object',
    'column "events[].extra{}" (decimal(10,2)): value "1e20" needs more than 10 digits at scale 2',
  ]);
  await checkNested(file, NESTED, [{ id: 1 }], 'rejects');
});

// SerDe options: a small table read with each option.
const SERDE = { id: P('int'), user_agent: P('string'), ts: P('timestamp'), attrs: MAP(P('string'), P('int')) };
const SERDE_COLUMNS = Object.entries(SERDE).map(([name, t]) => ({ name, type: hiveName(t) }));

async function serdeRead(name, settings, lines) {
  const { file, rejected } = writeFile(name, [], { columns: SERDE_COLUMNS, ...settings }, lines);
  const duckRead = (await duck.runAndReadAll(
    `SELECT id, user_agent, epoch_ms(ts)::VARCHAR AS ts, attrs FROM read_parquet('${file}')`)).getRowObjectsJson();
  const hyp = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
  const rows = duckRead.map((r, n) => {
    const row = { ...r, attrs: canon(SERDE.attrs, r.attrs, 'duckdb') };
    assert.deepEqual(canon(SERDE.attrs, hyp[n].attrs, 'hyparquet'), row.attrs, `${name} hyparquet row ${n}`);
    assert.equal(hyp[n].id ?? null, row.id, `${name} hyparquet row ${n}`);
    assert.equal(hyp[n].user_agent ?? null, row.user_agent, `${name} hyparquet row ${n}`);
    return row;
  });
  return { rows, rejected };
}

test('OpenXJsonSerDe: case-insensitive keys (default), map keys lower-cased, epoch forms', async () => {
  const { rows, rejected } = await serdeRead('openx-default', {}, [
    '{"ID": 1, "User_Agent": "curl", "TS": 1700000000, "Attrs": {"MiXed": 1}}',
    '{"id": 2, "ts": 1700000000123, "user.agent": "ignored"}',
    '{"id": 3, "ts": 1518033528.5}',
    '{"id": 4, "ts": "2017-02-07T15:13:01.39256Z"}',
    '{"id": 5, "ts": "2017-2-7 15:13:01.1"}',
  ]);
  assert.deepEqual(rejected, []);
  assert.deepEqual(rows, [
    { id: 1, user_agent: 'curl', ts: '1700000000000', attrs: [['mixed', 1]] },
    { id: 2, user_agent: null, ts: '1700000000123', attrs: null },
    { id: 3, user_agent: null, ts: '1518033528500', attrs: null },
    { id: 4, user_agent: null, ts: '1486480381392', attrs: null },
    { id: 5, user_agent: null, ts: '1486480381100', attrs: null },
  ]);
});

test('OpenXJsonSerDe: CaseInsensitive false, dots to underscores, ColumnToJsonKeyMappings', async () => {
  const exact = await serdeRead('openx-exact', { case_insensitive: false },
                                ['{"ID": 1, "id": 2, "attrs": {"MiXed": 3}}']);
  assert.deepEqual(exact.rows, [{ id: 2, user_agent: null, ts: null, attrs: [['MiXed', 3]] }]);
  const dots = await serdeRead('openx-dots', { convert_dots: true },
                               ['{"id": 1, "User.Agent": "curl", "attrs": {"a.b": 1}}']);
  assert.deepEqual(dots.rows, [{ id: 1, user_agent: 'curl', ts: null, attrs: [['a_b', 1]] }]);
  const mapped = await serdeRead('openx-mapped', { column_to_json_key: { ts: 'timestamp', id: 'Request.Id' } },
                                 ['{"request.id": 9, "ts": 5, "timestamp": "1970-01-01 00:00:01"}']);
  assert.deepEqual(mapped.rows, [{ id: 9, user_agent: null, ts: '1000', attrs: null }]);
});

test('HiveJsonSerDe: strict numbers and text, TimestampFormats with millis', async () => {
  const { rows, rejected } = await serdeRead('hive', {
    serde: 'hive', timestamp_formats: ["dd/MM/yyyy HH:mm:ss.SSS", 'millis'],
  }, [
    '{"ID": 1, "ts": "01/02/1970 00:00:00.250", "attrs": {"MiXed": 2}}',
    '{"id": 2, "ts": 1700000000123}',
    '{"id": "3"}',
    '{"id": 4, "user_agent": {"a": 1}}',
    '{"id": 5, "ts": "1970-01-01 00:00:00"}',
    '{"id": 6, "user_agent": 12}',
  ]);
  assert.deepEqual(rejected, [
    { line: 3, error: 'column "id" (int): value "3" is a string; HiveJsonSerDe needs a JSON number' },
    { line: 4, error: 'column "user_agent" (string): value {"a":1} is a JSON object or array; HiveJsonSerDe does not store them as text' },
    { line: 5, error: 'column "ts" (timestamp): value "1970-01-01 00:00:00" matches none of the TimestampFormats (dd/MM/yyyy HH:mm:ss.SSS, millis)' },
  ]);
  assert.deepEqual(rows, [
    { id: 1, user_agent: null, ts: '2678400250', attrs: [['MiXed', 2]] },
    { id: 2, user_agent: null, ts: '1700000000123', attrs: null },
    { id: 6, user_agent: '12', ts: null, attrs: null },
  ]);
});
