// Sends one captured HTTP request to 127.0.0.1:PORT byte for byte, except for the Host header,
// which is pointed at PORT. Prints the answer's status code on the first line and its body
// after it.
//
//   node replay_http.mjs PORT FILE.http

import fs from 'node:fs';
import net from 'node:net';

const [port, file] = process.argv.slice(2);
const capture = fs.readFileSync(file);
const split = capture.indexOf('\r\n\r\n');
if (split < 0) throw new Error(`${file}: no blank line after the headers`);
const head = capture.subarray(0, split).toString('latin1');
const body = capture.subarray(split + 4);
const declared = /\r\ncontent-length:\s*(\d+)/i.exec(head);
if (!declared || Number(declared[1]) !== body.length) {
  throw new Error(`${file}: Content-Length ${declared?.[1]} but the body has ${body.length} bytes`);
}
const request = Buffer.concat([
  Buffer.from(head.replace(/\r\n(host):[^\r]*/i, `\r\n$1: 127.0.0.1:${port}`), 'latin1'),
  Buffer.from('\r\n\r\n'),
  body,
]);

// Reads one response; the capture may ask for keep-alive, so the end is found by length.
function parseResponse(bytes) {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = Object.fromEntries(lines.slice(1).map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  }));
  const rest = bytes.subarray(end + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const chunks = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (size === 0) return { status, body: Buffer.concat(chunks) };
      if (rest.length < lineEnd + 2 + size + 2) return null;
      chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = Number(headers['content-length'] ?? NaN);
  if (Number.isNaN(length)) throw new Error('response has neither Content-Length nor chunked encoding');
  return rest.length >= length ? { status, body: rest.subarray(0, length) } : null;
}

const response = await new Promise((resolve, reject) => {
  const socket = net.connect(Number(port), '127.0.0.1');
  let received = Buffer.alloc(0);
  socket.setTimeout(15000, () => socket.destroy(new Error('no complete response within 15 s')));
  socket.on('connect', () => socket.write(request));
  socket.on('data', (data) => {
    received = Buffer.concat([received, data]);
    try {
      const parsed = parseResponse(received);
      if (parsed) {
        socket.destroy();
        resolve(parsed);
      }
    } catch (error) {
      socket.destroy(error);
    }
  });
  socket.on('error', reject);
  socket.on('close', () => reject(new Error(`connection closed; received: ${received.toString('latin1')}`)));
});
process.stdout.write(`${response.status}\n${response.body.toString('utf8')}\n`);
