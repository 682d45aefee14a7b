// A Command transform for crash_test.sh: answers every record Ok, unchanged, with the
// partition key `w` set to the load worker that sent it (records are `<stream>/<tag>/w<N>/...\n`).
import { createInterface } from 'node:readline';

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const { records } = JSON.parse(line);
  const answer = records.map(({ recordId, data }) => {
    const worker = Buffer.from(data, 'base64').toString('latin1').split('/')[2];
    return { recordId, result: 'Ok', data, metadata: { partitionKeys: { w: worker } } };
  });
  process.stdout.write(`${JSON.stringify({ records: answer })}\n`);
}
