// Checks crash_test.sh's outcome: every acknowledged record id appears in the delivered
// objects. Each record is `<id>\n`, ids as written by crash_load.mjs.
//
//   node crash_verify.mjs --acked FILE --bucket-dirs DIR[,DIR...]
//
// Exit 0: nothing missing (prints the counts, including duplicates and records delivered
// without an acknowledgement, which at-least-once delivery allows). Exit 1: acknowledged ids
// still missing (prints how many and a few of them). Exit 3: a delivered line is not a
// record id (torn or corrupted data).

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { listObjects, readObject } from './lib/sluice.mjs';

const { values: opt } = parseArgs({
  options: { acked: { type: 'string' }, 'bucket-dirs': { type: 'string' } },
});
const ID = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9]+\/w\d+\/b\d+\/r\d+$/;

const acked = new Set(fs.readFileSync(opt.acked, 'utf8').split('\n').filter(Boolean));
const delivered = new Map();
let records = 0;
let objects = 0;
for (const dir of opt['bucket-dirs'].split(',')) {
  for (const key of listObjects(dir)) {
    objects++;
    const text = readObject(dir, key).toString('latin1');
    if (text.length > 0 && !text.endsWith('\n')) {
      console.error(`object ${dir}/${key} does not end with a whole record: ...${JSON.stringify(text.slice(-60))}`);
      process.exit(3);
    }
    for (const line of text.split('\n').slice(0, -1)) {
      if (!ID.test(line)) {
        console.error(`object ${dir}/${key} holds a line that is not a record id: ${JSON.stringify(line.slice(0, 200))}`);
        process.exit(3);
      }
      delivered.set(line, (delivered.get(line) ?? 0) + 1);
      records++;
    }
  }
}

const missing = [...acked].filter((id) => !delivered.has(id));
const unacked = [...delivered.keys()].filter((id) => !acked.has(id)).length;
const summary = {
  acked: acked.size,
  objects,
  deliveredRecords: records,
  distinctDelivered: delivered.size,
  duplicates: records - delivered.size,
  deliveredUnacknowledged: unacked,
  missing: missing.length,
};
console.log(JSON.stringify(summary));
if (missing.length > 0) {
  console.log(`first missing: ${missing.slice(0, 5).join(' ')}`);
  process.exit(1);
}
