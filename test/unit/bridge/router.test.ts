import assert from 'node:assert/strict';
import { matchRoute, type Route } from '../../../bridge/http/router';

const noop = () => undefined;
const routes: Route[] = [
  { method: 'POST', path: '/v1/chat/completions', handle: noop },
  { method: 'POST', path: /^\/api\/v1\/projects\/(\d+)\/chat\/completions\/?$/, handle: noop },
  { method: 'GET', path: '/bridge/health', open: true, handle: noop },
];

describe('matchRoute', () => {
  it('finds a literal path for its method only', () => {
    assert.equal(matchRoute(routes, 'POST', '/v1/chat/completions')?.route, routes[0]);
    assert.equal(matchRoute(routes, 'GET', '/v1/chat/completions'), undefined);
  });

  it('gives a pattern its groups as params', () => {
    const m = matchRoute(routes, 'POST', '/api/v1/projects/42/chat/completions/');
    assert.equal(m?.route, routes[1]);
    assert.deepEqual(m?.params, ['42']);
  });

  it('matches nothing for unknown paths and near misses', () => {
    for (const path of [
      '/',
      '/v1/chat/completions/x',
      '/bridge/health/',
      '/api/v1/projects/x/chat/completions',
    ]) {
      assert.equal(matchRoute(routes, 'POST', path), undefined, path);
      assert.equal(matchRoute(routes, 'GET', path), undefined, path);
    }
  });
});
