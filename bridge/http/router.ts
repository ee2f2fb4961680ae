// The route table's types and its one lookup. A route names its method and path (a literal, or
// a pattern whose groups become `params`), whether it is open without the bearer token, and
// whether it takes a JSON body (such routes count against the concurrency limit and get the
// parsed body). The table itself is bridge/routes.ts, read top to bottom.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteCall {
  req: IncomingMessage;
  res: ServerResponse;
  /** Groups of a pattern path, in order. */
  params: string[];
  /** The query string without its '?', or ''. */
  query: string;
  /** The parsed JSON body, for routes with `body: 'json'`. */
  body: unknown;
}

export interface Route {
  method: Method;
  path: string | RegExp;
  /** Open without the bearer token (only the health check). */
  open?: boolean;
  /** Reads a JSON body first; counts against the bridge's concurrency limit. */
  body?: 'json';
  handle(call: RouteCall): Promise<void> | void;
}

export interface RouteMatch {
  route: Route;
  params: string[];
}

/** The route for this method and path; undefined when none serves it (a 404). */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    if (typeof route.path === 'string') {
      if (route.path === path) return { route, params: [] };
      continue;
    }
    const m = route.path.exec(path);
    if (m) return { route, params: m.slice(1).map((p) => p ?? '') };
  }
  return undefined;
}
