// Load generator for crash_test.sh: concurrent PutRecordBatch calls through the real SDK.
// Each record is a unique id plus '\n'. The id of every record the server acknowledged (an
// entry with a RecordId in a 200 answer) is appended to --acked as soon as the answer arrives.
//
//   node crash_load.mjs --port P --streams a,b --acked FILE --tag T
//        [--workers 4] [--batch 100] [--batches N] [--seconds 20] [--strict]
//
// Worker w puts to streams[w % streams.length]. A worker ends after N batches, after the time
// limit, or at the first request that got no HTTP answer (the server is gone: that is the
// point of the test). 503 answers are retried after a pause. Any other error, and with
// --strict any error at all, exits non-zero. Prints a JSON summary on stdout.

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string' },
    streams: { type: 'string' },
    acked: { type: 'string' },
    tag: { type: 'string', default: 'l' },
    workers: { type: 'string', default: '4' },
    batch: { type: 'string', default: '100' },
    batches: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '20' },
    strict: { type: 'boolean', default: false },
  },
});
if (!opt.port || !opt.streams || !opt.acked) {
  console.error('usage: crash_load.mjs --port P --streams a,b --acked FILE [options]');
  process.exit(2);
}

const streams = opt.streams.split(',');
const workers = Number(opt.workers);
const batchSize = Number(opt.batch);
const maxBatches = Number(opt.batches);
const deadline = Date.now() + Number(opt.seconds) * 1000;
const ackedFd = fs.openSync(opt.acked, 'a');
let stopped = false;  // set by the first fatal error, so that the other workers end too
const summary = { acked: 0, refusedEntries: 0, unavailable: 0, lostRequests: 0, batches: 0 };

const client = new FirehoseClient({
  endpoint: `http://127.0.0.1:${opt.port}`,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  maxAttempts: 1,
  requestHandler: { connectionTimeout: 2000, requestTimeout: 30000 },
});

async function worker(w) {
  const stream = streams[w % streams.length];
  for (let b = 0; b < maxBatches && Date.now() < deadline && !stopped; b++) {
    const ids = Array.from({ length: batchSize }, (_, r) => `${stream}/${opt.tag}/w${w}/b${b}/r${r}`);
    const command = new PutRecordBatchCommand({
      DeliveryStreamName: stream,
      Records: ids.map((id) => ({ Data: Buffer.from(`${id}\n`) })),
    });
    let answer;
    try {
      answer = await client.send(command);
    } catch (error) {
      const status = error.$metadata?.httpStatusCode;
      if (status === undefined) {
        summary.lostRequests++;
        if (opt.strict) throw error;
        return;  // no answer: the server is gone
      }
      if (status === 503 && !opt.strict) {
        summary.unavailable++;
        await sleep(50);
        b--;  // same ids again: they were not acknowledged
        continue;
      }
      throw error;
    }
    const acked = [];
    answer.RequestResponses.forEach((entry, i) => {
      if (entry.RecordId) acked.push(ids[i]);
    });
    summary.refusedEntries += ids.length - acked.length;
    if (opt.strict && acked.length !== ids.length) {
      throw new Error(`${ids.length - acked.length} entries refused: ${JSON.stringify(answer.RequestResponses.find((e) => !e.RecordId))}`);
    }
    if (acked.length > 0) fs.writeSync(ackedFd, `${acked.join('\n')}\n`);
    summary.acked += acked.length;
    summary.batches++;
  }
}

const results = await Promise.allSettled(Array.from({ length: workers }, (_, w) =>
  worker(w).catch((error) => {
    stopped = true;
    throw error;
  })));
fs.closeSync(ackedFd);
client.destroy();
for (const result of results) {
  if (result.status === 'rejected') {
    console.error(`load failed: ${result.reason.name}: ${result.reason.message}`);
    process.exitCode = 1;
  }
}
console.log(JSON.stringify(summary));
