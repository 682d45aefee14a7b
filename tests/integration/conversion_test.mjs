// Format conversion and dynamic partitioning through the real server and the JS SDK:
// streams with DataFormatConversionConfiguration (tables from the server config's catalog)
// deliver Parquet that DuckDB reads back value by value; records that do not fit go to the
// error output as format-conversion-failed; MetadataExtraction (jq) partition keys split records
// into objects per partition, with malformed records and partitions past the limit in the error
// output. Run with `node --test`; needs SLUICE_BIN.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DuckDBInstance } from '@duckdb/node-api';
import { Server, listObjects, makeTempDir, readObject, waitFor } from './lib/sluice.mjs';

const ROLE = 'arn:aws:iam::123456789012:role/firehose';
const CONFIG = `
delivery:
  max_active_partitions: 3
catalog:
  weblogs:
    requests:
      columns:
        - {name: id, type: bigint}
        - {name: path, type: string}
        - {name: status, type: smallint}
        - {name: price, type: "decimal(10,2)"}
        - {name: geo, type: "struct<lat:double,lon:double>"}
        - {name: tags, type: "array<string>"}
        - {name: headers, type: "map<string,string>"}
`;

let tmp;
let server;
let fh;
let duck;

before(async () => {
  tmp = makeTempDir('conversion');
  const configPath = path.join(tmp, 'sluice.yaml');
  fs.writeFileSync(configPath, CONFIG);
  server = await Server.start({ dataDir: path.join(tmp, 'data'), args: ['--config', configPath] });
  fh = server.client();
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});

after(async () => {
  await server?.stop();
  if (!process.exitCode) fs.rmSync(tmp, { recursive: true, force: true });
});

const bucketDir = (bucket) => path.join(server.dataDir, 'buckets', bucket);

function conversion(serializer, deserializer = { OpenXJsonSerDe: {} }) {
  return {
    SchemaConfiguration: { RoleARN: ROLE, DatabaseName: 'weblogs', TableName: 'requests' },
    InputFormatConfiguration: { Deserializer: deserializer },
    OutputFormatConfiguration: { Serializer: serializer },
  };
}

async function put(stream, records) {
  const answer = await fh.send(new PutRecordBatchCommand({
    DeliveryStreamName: stream,
    Records: records.map((r) => ({ Data: Buffer.from(typeof r === 'string' ? r : JSON.stringify(r)) })),
  }));
  assert.equal(answer.FailedPutCount, 0);
}

// The error documents of one error output type, decoded.
function errorDocuments(bucket, type) {
  const keys = listObjects(bucketDir(bucket)).filter((key) => key.startsWith(`errors/${type}/`));
  return keys.flatMap((key) => readObject(bucketDir(bucket), key).toString().trim().split('\n').map((line) => {
    const doc = JSON.parse(line);
    return { ...doc, raw: Buffer.from(doc.rawData, 'base64').toString() };
  }));
}

test('a misconfigured conversion is refused at create time, naming the member', async () => {
  const create = (name, extra) => fh.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: name,
    ExtendedS3DestinationConfiguration: {
      RoleARN: ROLE, BucketARN: 'arn:aws:s3:::refused', BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 }, ...extra,
    },
  }));
  const unknownTable = conversion({ ParquetSerDe: {} });
  unknownTable.SchemaConfiguration.TableName = 'nope';
  await assert.rejects(create('conv-unknown', { DataFormatConversionConfiguration: unknownTable }), (error) => {
    assert.equal(error.name, 'InvalidArgumentException');
    assert.match(error.message, /TableName "nope" is not a table of "weblogs"/);
    return true;
  });
  const badMapping = conversion({ ParquetSerDe: {} }, { OpenXJsonSerDe: { ColumnToJsonKeyMappings: { nope: 'x' } } });
  await assert.rejects(create('conv-mapping', { DataFormatConversionConfiguration: badMapping }), (error) => {
    assert.equal(error.name, 'InvalidArgumentException');
    assert.match(error.message, /DataFormatConversionConfiguration: .*nope/);
    return true;
  });
  await assert.rejects(
    create('conv-gzip', { CompressionFormat: 'GZIP', DataFormatConversionConfiguration: conversion({ ParquetSerDe: {} }) }),
    /CompressionFormat "GZIP" must be UNCOMPRESSED/);
});

test('JSON records become Parquet that DuckDB reads back; misfits go to format-conversion-failed', async () => {
  await fh.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'conv-parquet',
    ExtendedS3DestinationConfiguration: {
      RoleARN: ROLE, BucketARN: 'arn:aws:s3:::conv', Prefix: 'parquet/', ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 },
      DataFormatConversionConfiguration: conversion({ ParquetSerDe: { Compression: 'SNAPPY', WriterVersion: 'V2' } }),
    },
  }));
  const rows = [];
  for (let i = 0; i < 40; i++) {
    rows.push({
      ID: i, // keys match columns ignoring case (OpenXJsonSerDe's default)
      path: `/p/${i}/é日本`,
      status: i % 3 === 0 ? null : 200 + i,
      price: `${i}.5`,
      geo: i % 4 === 0 ? null : { lat: i / 2, lon: -i },
      tags: i % 5 === 0 ? [] : [`t${i}`, null],
      headers: { a: `${i}` },
      ignored: 'no such column',
    });
  }
  const misfits = ['{"id":"not a number"}', 'not json'];
  await put('conv-parquet', [...rows.slice(0, 20), ...misfits, ...rows.slice(20)]);
  const dir = bucketDir('conv');
  await waitFor('a Parquet object and the error object', () =>
    listObjects(dir).some((key) => key.endsWith('.parquet')) && errorDocuments('conv', 'format-conversion-failed').length === 2);
  const files = listObjects(dir).filter((key) => key.startsWith('parquet/'));
  assert.equal(files.length, 1);
  assert.match(files[0], /^parquet\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/conv-parquet-1-.*\.parquet$/);
  const file = path.join(dir, files[0]);
  const reader = await duck.runAndReadAll(
    `SELECT id, path, status, price::VARCHAR AS price, geo, tags, map_extract(headers, 'a')[1] AS a
     FROM read_parquet('${file}') ORDER BY id`);
  const got = reader.getRowObjectsJson();
  assert.equal(got.length, rows.length);
  got.forEach((row, n) => {
    const want = rows[n];
    assert.equal(String(row.id), String(want.ID));
    assert.equal(row.path, want.path);
    assert.equal(row.status, want.status);
    assert.equal(row.price, `${n}.50`);
    assert.deepEqual(row.geo, want.geo);
    assert.deepEqual(row.tags, want.tags);
    assert.equal(row.a, `${n}`);
  });
  const errors = errorDocuments('conv', 'format-conversion-failed');
  assert.deepEqual(errors.map((doc) => doc.raw).sort(), [...misfits].sort());
  for (const doc of errors) {
    assert.ok(doc.lastErrorCode.startsWith('DataFormatConversion.'), doc.lastErrorCode);
    assert.ok(doc.lastErrorMessage.length > 0);
    assert.equal(doc.dataCatalogTable.databaseName, 'weblogs');
    assert.equal(doc.dataCatalogTable.tableName, 'requests');
  }
});

test('ORC output read back by the project\'s ORC reader (proven on Apache ORC\'s files)', async () => {
  const dump = process.env.ORC_DUMP;
  assert.ok(dump, 'ORC_DUMP must name the orc_dump test tool');
  await fh.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'conv-orc',
    ExtendedS3DestinationConfiguration: {
      RoleARN: ROLE, BucketARN: 'arn:aws:s3:::conv-orc', Prefix: 'orc/', ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 },
      DataFormatConversionConfiguration: conversion({ OrcSerDe: { Compression: 'ZLIB' } }),
    },
  }));
  const rows = [];
  for (let i = 0; i < 30; i++) {
    rows.push({
      id: i, path: `/ö/${i}`, status: i % 2 ? 404 : null, price: i % 3 ? `${i}.25` : null,
      geo: { lat: i, lon: 0.5 }, tags: i % 4 ? ['x', `y${i}`] : [], headers: i % 5 ? { k: `v${i}` } : null,
    });
  }
  await put('conv-orc', [...rows, '{"status":"NaN-ish"}']);
  const dir = bucketDir('conv-orc');
  await waitFor('an ORC object and the error object', () =>
    listObjects(dir).some((key) => key.endsWith('.orc')) && errorDocuments('conv-orc', 'format-conversion-failed').length === 1);
  const [file] = listObjects(dir).filter((key) => key.endsWith('.orc'));
  assert.match(file, /^orc\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/conv-orc-1-.*\.orc$/);
  const got = execFileSync(dump, [path.join(dir, file)]).toString().trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(got.length, rows.length);
  got.forEach((row, n) => {
    const want = rows[n];
    assert.deepEqual(row, {
      id: want.id, path: want.path, status: want.status, price: want.price === null ? null : `${n}.25`,
      geo: want.geo, tags: want.tags, headers: want.headers === null ? null : [['k', `v${n}`]],
    }, `row ${n}`);
  });
});

test('dynamic partitioning by a jq key: one object per customer, failures in the error output', async () => {
  await fh.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'dp-query',
    ExtendedS3DestinationConfiguration: {
      RoleARN: ROLE, BucketARN: 'arn:aws:s3:::dp',
      Prefix: 'customer=!{partitionKeyFromQuery:customer_id}/year=!{timestamp:yyyy}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
      DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          {
            Type: 'MetadataExtraction',
            Parameters: [
              { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{customer_id:.customer.id}' },
              { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
            ],
          },
          { Type: 'AppendDelimiterToRecord', Parameters: [] },
        ],
      },
    },
  }));
  const records = [
    { customer: { id: 'a' }, n: 1 }, { customer: { id: 'b' }, n: 2 }, 'malformed {', { customer: { id: 'a' }, n: 3 },
    { customer: { id: 7 }, n: 4 }, { customer: { id: 'd' }, n: 5 }, { customer: {}, n: 6 },
  ];
  await put('dp-query', records);
  const dir = bucketDir('dp');
  await waitFor('three partitions and the error object', () =>
    listObjects(dir).filter((key) => key.startsWith('customer=')).length === 3 &&
    errorDocuments('dp', 'partitioning-failed').length === 3);
  const year = new Date().getUTCFullYear();
  const objects = {};
  for (const key of listObjects(dir).filter((k) => k.startsWith('customer='))) {
    assert.match(key, new RegExp(`^customer=[^/]+/year=${year}/dp-query-1-`));
    objects[key.split('/')[0]] = readObject(dir, key).toString();
  }
  const line = (r) => `${JSON.stringify(r)}\n`;
  assert.deepEqual(objects, {
    'customer=a': line(records[0]) + line(records[3]),
    'customer=b': line(records[1]),
    'customer=7': line(records[4]),
  });
  // Not JSON and no customer.id fail in the query; customer d is the fourth partition, past the
  // limit of 3 (delivery.max_active_partitions).
  const failed = errorDocuments('dp', 'partitioning-failed');
  assert.deepEqual(failed.map((doc) => doc.raw).sort(),
    ['malformed {', JSON.stringify(records[5]), JSON.stringify(records[6])].sort());
  assert.ok(failed.some((doc) => doc.errorCode === 'DynamicPartitioning.ActivePartitionsLimitExceeded'));
});
