import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { NotFoundError, ValidationError } from '../types/errors';
import { ApiError, sendError, swaggerError } from './errors';

/** The one error mapper: each shape as upstream writes it, and thrown errors by class. */
describe('sendError', () => {
  let server: Server;
  let url: string;
  const errors: Record<string, unknown> = {
    swagger: swaggerError(422, '0.labels in body is required', 602),
    string: new ApiError(400, 'at least one label pair required'),
    empty: new ApiError(404, 'silence not found', { shape: 'empty' }),
    text: new ApiError(405, 'Method Not Allowed\n', { shape: 'text', headers: { Allow: 'OPTIONS, POST' } }),
    json: new ApiError(410, '{"status":"deprecated"}', { shape: 'json' }),
    notFound: new NotFoundError('silence not found'),
    validation: new ValidationError('bad matcher'),
    bug: new TypeError('x is undefined'),
  };
  beforeAll(async () => {
    const app = express();
    app.get('/:kind', (req, res) => sendError(res, errors[String(req.params.kind)]));
    server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it.each([
    ['swagger', 422, 'application/json', '{"code":602,"message":"0.labels in body is required"}'],
    ['string', 400, 'application/json', '"at least one label pair required"\n'],
    ['empty', 404, null, ''],
    ['text', 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n'],
    ['json', 410, 'application/json', '{"status":"deprecated"}'],
    ['notFound', 404, 'application/json', '"silence not found"\n'],
    ['validation', 400, 'application/json', '"bad matcher"\n'],
    ['bug', 500, 'application/json', '"x is undefined"\n'],
  ])('%s', async (kind, status, type, body) => {
    const r = await fetch(`${url}/${kind}`);
    expect([r.status, r.headers.get('content-type'), await r.text()]).toEqual([status, type, body]);
    if (kind === 'text') expect(r.headers.get('allow')).toBe('OPTIONS, POST');
  });
});
