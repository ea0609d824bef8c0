import { HttpRequest } from '@azure/functions';
import { isJsonContentType } from '../../../functions/http/jsonMediaType';
import { jsonNestsDeeperThan } from '../../../functions/http/jsonNesting';
import { readJsonBody } from '../../../functions/http/jsonBody';

const request = (body: Uint8Array | string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new HttpRequest({
    method: 'POST',
    url: 'http://127.0.0.1/api/x',
    headers,
    body: body === undefined ? undefined : { bytes: typeof body === 'string' ? new TextEncoder().encode(body) : body },
  });

describe('isJsonContentType', () => {
  it.each(['application/json', 'Application/JSON', 'application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/merge-patch+json', 'application/vnd.api+json; charset=utf-8'])(
    'accepts %s',
    (header) => expect(isJsonContentType(header)).toBe(true),
  );
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json', 'application/jsonp', 'application/json; charset=iso-8859-1', '', undefined, null])(
    'refuses %s',
    (header) => expect(isJsonContentType(header)).toBe(false),
  );
});

describe('jsonNestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(jsonNestsDeeperThan('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonNestsDeeperThan(JSON.stringify({ s: '[[[[[[{{{{{{' }), 1)).toBe(false);
    expect(jsonNestsDeeperThan(JSON.stringify({ s: 'a \\" [[[[' }), 1)).toBe(false);
  });

  it('answers for 100,000 levels without recursion', () => {
    expect(jsonNestsDeeperThan('['.repeat(100_000) + ']'.repeat(100_000), 32)).toBe(true);
  });
});

describe('readJsonBody', () => {
  it('parses a JSON body within the limits', async () => {
    expect(await readJsonBody(request('{"a":[1,{"b":"ü"}]}'), { maxBytes: 100 })).toEqual({ ok: true, body: { a: [1, { b: 'ü' }] } });
  });

  it('refuses a body larger than the limit with 413, whether declared or streamed', async () => {
    const declared = await readJsonBody(request('{}', { 'content-type': 'application/json', 'content-length': '1000000' }), { maxBytes: 1024 });
    expect(declared).toMatchObject({ ok: false, response: { status: 413 } });
    const streamed = await readJsonBody(request(`"${'x'.repeat(2000)}"`), { maxBytes: 1024 });
    expect(streamed).toMatchObject({ ok: false, response: { status: 413, jsonBody: { error: expect.stringMatching(/larger than 1 KB \(1,024 bytes\)/) } } });
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/xml']])('refuses %s with 415 naming the media type', async (contentType) => {
    const answer = await readJsonBody(request('{}', { 'content-type': contentType }), { maxBytes: 100 });
    expect(answer).toMatchObject({ ok: false, response: { status: 415, jsonBody: { error: expect.stringContaining(`got ${contentType}`) } } });
  });

  it('refuses a body without Content-Type with 415', async () => {
    expect(await readJsonBody(request('{}', {}), { maxBytes: 100 })).toMatchObject({ ok: false, response: { status: 415, jsonBody: { error: expect.stringMatching(/no Content-Type/) } } });
  });

  it('refuses invalid UTF-8 with 400 instead of replacing it with U+FFFD', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"value":"'), 0xc3, 0x28, ...new TextEncoder().encode('"}')]);
    const answer = await readJsonBody(request(bytes), { maxBytes: 100 });
    expect(answer).toMatchObject({ ok: false, response: { status: 400, jsonBody: { fields: [{ field: '(body)', message: expect.stringMatching(/not valid UTF-8/) }] } } });
  });

  it('refuses nesting deeper than the limit with 400', async () => {
    const answer = await readJsonBody(request('{"v":' + '['.repeat(40) + ']'.repeat(40) + '}'), { maxBytes: 1000 });
    expect(answer).toMatchObject({ ok: false, response: { status: 400, jsonBody: { fields: [{ field: '(body)', message: expect.stringMatching(/deeper than 32 levels/) }] } } });
  });

  it('an empty body is refused when required and undefined when optional, whatever the Content-Type', async () => {
    expect(await readJsonBody(request(undefined, {}), { maxBytes: 100 })).toMatchObject({ ok: false, response: { status: 400 } });
    expect(await readJsonBody(request(undefined, {}), { maxBytes: 100, required: false })).toEqual({ ok: true, body: undefined });
  });

  it('refuses text that is not JSON with 400', async () => {
    expect(await readJsonBody(request('{"btp": '), { maxBytes: 100 })).toMatchObject({ ok: false, response: { status: 400, jsonBody: { fields: [{ field: '(body)', message: 'the body is not valid JSON' }] } } });
  });
});
