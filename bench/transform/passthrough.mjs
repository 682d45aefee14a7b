// A pass-through Command transform for bench/run: reads one Lambda transformation request per
// line on stdin and answers each with every record Ok and its data unchanged, one line each.
import { createInterface } from 'node:readline';

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const { records } = JSON.parse(line);
  const answer = records.map(({ recordId, data }) => ({ recordId, result: 'Ok', data }));
  process.stdout.write(`${JSON.stringify({ records: answer })}\n`);
}
