// The Firehose API through the real JavaScript SDK v3 (@aws-sdk/client-firehose, pinned):
// create/describe/list, byte-exact delivery of binary and UTF-8 records, PutRecordBatch
// per-entry answers, GZIP, tags, versioned updates, error types, delete, clean shutdown.
// Run with `node --test`; needs SLUICE_BIN.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  ListDeliveryStreamsCommand,
  ListTagsForDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  TagDeliveryStreamCommand,
  UntagDeliveryStreamCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { Server, makeTempDir, waitFor } from './lib/sluice.mjs';

const ROLE = 'arn:aws:iam::123456789012:role/firehose';
const DEST_ID = 'destinationId-000000000001';
const FAST = { SizeInMBs: 1, IntervalInSeconds: 0 };
const KEY_SUFFIX = /-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

let tmp;
let server;
let fh;

let failed = false;

before(async () => {
  tmp = makeTempDir('sdk');
  server = await Server.start({ dataDir: path.join(tmp, 'data') });
  fh = server.client();
  try {
    await createStreams();
  } catch (error) {
    failed = true;
    console.error(`--- server log (${server.logPath}) ---\n${server.logTail()}`);
    throw error;
  }
});

async function createStreams() {
  const create = (name, destination) =>
    fh.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      DeliveryStreamType: 'DirectPut',
      ...destination,
    }));
  await create('sdk-raw', {
    ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::sdk-raw', BufferingHints: FAST },
  });
  await create('sdk-gz', {
    ExtendedS3DestinationConfiguration: {
      RoleARN: ROLE, BucketARN: 'arn:aws:s3:::sdk-gz', BufferingHints: FAST,
      CompressionFormat: 'GZIP', Prefix: 'logs/',
    },
  });
  await create('sdk-plain', {
    S3DestinationConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::sdk-plain' },
  });
  await create('sdk-noslash', {
    ExtendedS3DestinationConfiguration: {
      RoleARN: ROLE, BucketARN: 'arn:aws:s3:::sdk-noslash', BufferingHints: FAST, Prefix: 'raw',
    },
  });
  await create('sdk-ts', {
    ExtendedS3DestinationConfiguration: {
      RoleARN: ROLE, BucketARN: 'arn:aws:s3:::sdk-ts', BufferingHints: FAST,
      Prefix: 'year=!{timestamp:yyyy}/', ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/',
    },
  });
}

const STREAMS = ['sdk-gz', 'sdk-noslash', 'sdk-plain', 'sdk-raw', 'sdk-ts'];

// yyyy/MM/dd/HH/ of `date` in UTC.
function hourPrefix(date) {
  return date.toISOString().slice(0, 13).replace(/[-T]/g, '/') + '/';
}

after(async () => {
  fh?.destroy();
  if (server) {
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM\n${server.logTail()}`);
  }
  if (tmp && !failed) fs.rmSync(tmp, { recursive: true, force: true });
});

// Runs `body` as a test; a failure keeps the temp dir and prints the server log's tail.
function check(name, body) {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      failed = true;
      console.error(`--- server log (${server?.logPath}) ---\n${server?.logTail()}`);
      throw error;
    }
  });
}

// Puts via `put` and returns the delivered {keys, bytes} of `bucket`, after checking that
// exactly `expected` arrived.
async function putAndCollect(bucket, expected, put) {
  const before = server.listObjects(bucket);
  const result = await put();
  const delivered = await server.waitDelivered(bucket, before, expected);
  assert.ok(delivered.bytes.equals(expected),
    `delivered ${delivered.bytes.length} bytes differ from the ${expected.length} put`);
  return { result, ...delivered };
}

async function rejects(command, name, messagePart) {
  await assert.rejects(fh.send(command), (error) => {
    assert.equal(error.name, name, `error type (message: ${error.message})`);
    assert.equal(error.$metadata?.httpStatusCode, 400, 'HTTP status');
    if (messagePart) assert.ok(error.message.includes(messagePart), `message names ${messagePart}: ${error.message}`);
    return true;
  });
}

check('describe materialises the defaults', async () => {
  const { DeliveryStreamDescription: d } = await fh.send(
    new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'sdk-plain' }));
  assert.equal(d.DeliveryStreamName, 'sdk-plain');
  assert.match(d.DeliveryStreamARN, /^arn:aws:firehose:us-east-1:\d{12}:deliverystream\/sdk-plain$/);
  assert.equal(d.DeliveryStreamStatus, 'ACTIVE');
  assert.equal(d.VersionId, '1');
  assert.ok(d.CreateTimestamp instanceof Date && !Number.isNaN(d.CreateTimestamp.getTime()));
  assert.equal(d.HasMoreDestinations, false);
  assert.equal(d.Destinations.length, 1);
  assert.equal(d.Destinations[0].DestinationId, DEST_ID);
  const s3 = d.Destinations[0].S3DestinationDescription;
  assert.equal(s3.BucketARN, 'arn:aws:s3:::sdk-plain');
  assert.deepEqual(s3.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 300 });
  assert.equal(s3.CompressionFormat, 'UNCOMPRESSED');
});

check('list is sorted and pages', async () => {
  const all = await fh.send(new ListDeliveryStreamsCommand({}));
  assert.deepEqual(all.DeliveryStreamNames, STREAMS);
  assert.equal(all.HasMoreDeliveryStreams, false);
  const first = await fh.send(new ListDeliveryStreamsCommand({ Limit: 1 }));
  assert.deepEqual(first.DeliveryStreamNames, ['sdk-gz']);
  assert.equal(first.HasMoreDeliveryStreams, true);
  const rest = await fh.send(new ListDeliveryStreamsCommand({ ExclusiveStartDeliveryStreamName: 'sdk-gz' }));
  assert.deepEqual(rest.DeliveryStreamNames, STREAMS.slice(1));
});

check('PutRecord delivers every byte value 0-255 exactly', async () => {
  const data = Uint8Array.from({ length: 256 }, (_, i) => i);
  const putAt = new Date();
  const { result, keys } = await putAndCollect('sdk-raw', Buffer.from(data), () =>
    fh.send(new PutRecordCommand({ DeliveryStreamName: 'sdk-raw', Record: { Data: data } })));
  const ackedAt = new Date();
  assert.ok(typeof result.RecordId === 'string' && result.RecordId.length > 0, 'RecordId');
  for (const key of keys) {
    // The default prefix is the record's arrival hour in UTC.
    assert.ok([hourPrefix(putAt), hourPrefix(ackedAt)].some((prefix) => key.startsWith(`${prefix}sdk-raw-1-`)),
      `key ${key} starts with the UTC arrival hour and version 1`);
    assert.match(key, KEY_SUFFIX);
  }
});

check('PutRecordBatch: one-byte records 0-255 in order, one RecordId per entry', async () => {
  const records = Array.from({ length: 256 }, (_, i) => ({ Data: Uint8Array.of(i) }));
  const expected = Buffer.from(Uint8Array.from({ length: 256 }, (_, i) => i));
  const { result } = await putAndCollect('sdk-raw', expected, () =>
    fh.send(new PutRecordBatchCommand({ DeliveryStreamName: 'sdk-raw', Records: records })));
  assert.equal(result.FailedPutCount, 0);
  assert.equal(result.RequestResponses.length, 256);
  const ids = result.RequestResponses.map((entry) => entry.RecordId);
  assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0), 'every entry has a RecordId');
  assert.equal(new Set(ids).size, ids.length, 'RecordIds are distinct');
  assert.ok(result.RequestResponses.every((entry) => entry.ErrorCode === undefined));
});

check('UTF-8 text is delivered byte-exact, no delimiter added', async () => {
  const texts = ['héllo wörld ✓\n', '日本語のテキスト', ' 😀 emoji\r\n', '{"k":"ü"}'];
  const expected = Buffer.from(texts.join(''), 'utf8');
  const encoder = new TextEncoder();
  const { result } = await putAndCollect('sdk-raw', expected, () =>
    fh.send(new PutRecordBatchCommand({
      DeliveryStreamName: 'sdk-raw',
      Records: texts.map((text) => ({ Data: encoder.encode(text) })),
    })));
  assert.equal(result.FailedPutCount, 0);
  assert.equal(result.RequestResponses.length, texts.length);
});

check('GZIP stream writes .gz objects under its prefix', async () => {
  const expected = Buffer.from('gz line 1\ngz line 2\n');
  const { keys } = await putAndCollect('sdk-gz', expected, () =>
    fh.send(new PutRecordBatchCommand({
      DeliveryStreamName: 'sdk-gz',
      Records: [{ Data: Buffer.from('gz line 1\n') }, { Data: Buffer.from('gz line 2\n') }],
    })));
  for (const key of keys) assert.match(key, /^logs\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/sdk-gz-1-.*\.gz$/);
});

check('prefixes: no slash added; a timestamp expression replaces the default hour', async () => {
  const plainPrefix = await putAndCollect('sdk-noslash', Buffer.from('a\n'), () =>
    fh.send(new PutRecordCommand({ DeliveryStreamName: 'sdk-noslash', Record: { Data: Buffer.from('a\n') } })));
  for (const key of plainPrefix.keys) assert.match(key, /^raw\d{4}\/\d{2}\/\d{2}\/\d{2}\/sdk-noslash-1-/);
  const putAt = new Date();
  const expression = await putAndCollect('sdk-ts', Buffer.from('b\n'), () =>
    fh.send(new PutRecordCommand({ DeliveryStreamName: 'sdk-ts', Record: { Data: Buffer.from('b\n') } })));
  const years = [putAt.getUTCFullYear(), new Date().getUTCFullYear()];
  for (const key of expression.keys) {
    assert.ok(years.some((year) => key.startsWith(`year=${year}/sdk-ts-1-`)), `key ${key}`);
    assert.match(key, KEY_SUFFIX);
  }
});

check('tags: tag, overwrite, untag, list', async () => {
  await fh.send(new TagDeliveryStreamCommand({
    DeliveryStreamName: 'sdk-raw', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }],
  }));
  await fh.send(new TagDeliveryStreamCommand({ DeliveryStreamName: 'sdk-raw', Tags: [{ Key: 'a', Value: '3' }] }));
  await fh.send(new UntagDeliveryStreamCommand({ DeliveryStreamName: 'sdk-raw', TagKeys: ['b'] }));
  const listed = await fh.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'sdk-raw' }));
  assert.deepEqual(listed.Tags, [{ Key: 'a', Value: '3' }]);
  assert.equal(listed.HasMoreTags, false);
});

check('UpdateDestination bumps the version; a stale version is refused', async () => {
  await fh.send(new UpdateDestinationCommand({
    DeliveryStreamName: 'sdk-gz', CurrentDeliveryStreamVersionId: '1', DestinationId: DEST_ID,
    ExtendedS3DestinationUpdate: { Prefix: 'v2/' },
  }));
  const { DeliveryStreamDescription: d } = await fh.send(
    new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'sdk-gz' }));
  assert.equal(d.VersionId, '2');
  const ext = d.Destinations[0].ExtendedS3DestinationDescription;
  assert.equal(ext.Prefix, 'v2/');
  assert.equal(ext.CompressionFormat, 'GZIP', 'unspecified members keep their values');
  await rejects(new UpdateDestinationCommand({
    DeliveryStreamName: 'sdk-gz', CurrentDeliveryStreamVersionId: '1', DestinationId: DEST_ID,
    ExtendedS3DestinationUpdate: { Prefix: 'stale/' },
  }), 'ConcurrentModificationException');

  const expected = Buffer.from('version two\n');
  const { keys } = await putAndCollect('sdk-gz', expected, () =>
    fh.send(new PutRecordCommand({ DeliveryStreamName: 'sdk-gz', Record: { Data: expected } })));
  for (const key of keys) assert.match(key, /^v2\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/sdk-gz-2-.*\.gz$/);
});

check('errors reach the SDK as typed exceptions', async () => {
  await rejects(new PutRecordCommand({ DeliveryStreamName: 'sdk-missing', Record: { Data: Buffer.from('x') } }),
    'ResourceNotFoundException', 'sdk-missing');
  await rejects(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'sdk-raw',
    ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::other' },
  }), 'ResourceInUseException', 'sdk-raw');
  const invalid = ['InvalidArgumentException', 'ValidationException'];
  for (const [command, field] of [
    [new PutRecordCommand({ DeliveryStreamName: 'sdk-raw', Record: { Data: new Uint8Array(1024001) } }), 'Data'],
    [new PutRecordBatchCommand({
      DeliveryStreamName: 'sdk-raw', Records: Array.from({ length: 501 }, () => ({ Data: Uint8Array.of(1) })),
    }), 'Records'],
    [new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'sdk-hints',
      ExtendedS3DestinationConfiguration: {
        RoleARN: ROLE, BucketARN: 'arn:aws:s3:::h', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 901 },
      },
    }), 'IntervalInSeconds'],
  ]) {
    await assert.rejects(fh.send(command), (error) => {
      assert.ok(invalid.includes(error.name), `error type ${error.name}: ${error.message}`);
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.ok(error.message.includes(field), `message names ${field}: ${error.message}`);
      return true;
    });
  }
  const all = await fh.send(new ListDeliveryStreamsCommand({}));
  assert.deepEqual(all.DeliveryStreamNames, STREAMS, 'no stream created');
});

check('DeleteDeliveryStream: the stream is gone', async () => {
  await fh.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'sdk-plain' }));
  await waitFor('sdk-plain to disappear', async () => {
    try {
      await fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'sdk-plain' }));
      return false;
    } catch (error) {
      assert.equal(error.name, 'ResourceNotFoundException', error.message);
      return true;
    }
  });
  const all = await fh.send(new ListDeliveryStreamsCommand({}));
  assert.deepEqual(all.DeliveryStreamNames, STREAMS.filter((name) => name !== 'sdk-plain'));
});
