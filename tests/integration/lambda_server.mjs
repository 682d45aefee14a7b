// A function host speaking the Lambda Invoke API on 127.0.0.1, for lambda_test.sh:
//   node lambda_server.mjs PORT
// POST /2015-03-31/functions/NAME/invocations with a Firehose transformation request.
//   upper:  Ok with the data upper-cased; records starting "drop" Dropped, "fail" ProcessingFailed
//   broken: the function fails (200 with X-Amz-Function-Error, as Lambda answers)
//   partition: Ok, data unchanged, metadata.partitionKeys {customer: the record's first word}
// Requests without a SigV4 Authorization for service "lambda" get 403.
import http from 'node:http';

const port = Number(process.argv[2]);
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.url);
    const auth = request.headers.authorization ?? '';
    if (!match || request.method !== 'POST') {
      response.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      return response.end(JSON.stringify({ Message: `no route ${request.method} ${request.url}` }));
    }
    if (!auth.startsWith('AWS4-HMAC-SHA256 Credential=') || !auth.includes('/lambda/aws4_request')) {
      response.writeHead(403, { 'x-amzn-errortype': 'AccessDeniedException' });
      return response.end(JSON.stringify({ Message: 'missing SigV4 for lambda' }));
    }
    if (match[1] === 'broken') {
      response.writeHead(200, { 'x-amz-function-error': 'Unhandled' });
      return response.end(JSON.stringify({ errorMessage: 'boom', errorType: 'Error' }));
    }
    const invocation = JSON.parse(Buffer.concat(chunks).toString());
    if (match[1] === 'partition') {
      const records = invocation.records.map(({ recordId, data }) => ({
        recordId, result: 'Ok', data,
        metadata: { partitionKeys: { customer: Buffer.from(data, 'base64').toString().split(' ')[0] } },
      }));
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ records }));
    }
    const records = invocation.records.map(({ recordId, data }) => {
      const text = Buffer.from(data, 'base64').toString();
      if (text.startsWith('drop')) return { recordId, result: 'Dropped' };
      if (text.startsWith('fail')) return { recordId, result: 'ProcessingFailed', data };
      return { recordId, result: 'Ok', data: Buffer.from(text.toUpperCase()).toString('base64') };
    });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ records }));
  });
});
server.listen(port, '127.0.0.1');
