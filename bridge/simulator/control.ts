// The control API for a simulator in another process (benchmarks, end-to-end tests). Loopback
// test tooling, so no auth:
//   POST   /__sim/faults    body: a Fault          -> 201 {"queued": n}
//   DELETE /__sim/faults                           -> 200 {"cleared": true}
//   GET    /__sim/requests                         -> 200 RecordedRequest[]
//   GET    /__sim/streams                          -> 200 StreamRecord[]
//   GET    /__sim/feedback                         -> 200 FeedbackRecord[]
//   GET    /__sim/stats                            -> 200 {"openStreams","requests","streams","faults"}
//   PUT    /__sim/citations/{id} body: {url?, title?, description?, image?} (strings or null)
//                                                  -> 200 {"id": n}: the citation page served for id
//   DELETE /__sim/citations                        -> 200 {"cleared": true}
//   POST   /__sim/reset                            -> 200 {"reset": true}
// Reset forgets requests, streams, faults and citation overrides; conversations stay.
import type { ServerResponse } from 'node:http';
import { parseCitationOverride } from './citation-overrides';
import type { SimState } from './context';
import { parseFault } from './faults';
import { sendJson } from './responses';

export const CONTROL_PREFIX = '/__sim/';

export function handleControl(
  res: ServerResponse,
  state: SimState,
  method: string,
  path: string,
  body: unknown,
): void {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  const citation = /^PUT \/__sim\/citations\/(\d{1,15})$/.exec(route);
  if (citation) {
    const parsed = parseCitationOverride(body);
    if ('error' in parsed) {
      sendJson(res, 400, { error: parsed.error });
      return;
    }
    const id = Number(citation[1]);
    state.citations.set(id, parsed.override);
    sendJson(res, 200, { id });
    return;
  }
  switch (route) {
    case 'DELETE /__sim/citations':
      state.citations.clear();
      sendJson(res, 200, { cleared: true });
      return;
    case 'POST /__sim/faults': {
      const parsed = parseFault(body);
      if ('error' in parsed) {
        sendJson(res, 400, { error: parsed.error });
        return;
      }
      state.faults.add(parsed.fault);
      sendJson(res, 201, { queued: state.faults.size });
      return;
    }
    case 'DELETE /__sim/faults':
      state.faults.clear();
      sendJson(res, 200, { cleared: true });
      return;
    case 'GET /__sim/requests':
      sendJson(res, 200, state.recorder.requests);
      return;
    case 'GET /__sim/streams':
      sendJson(res, 200, state.recorder.streams);
      return;
    case 'GET /__sim/feedback':
      sendJson(res, 200, state.recorder.feedback);
      return;
    case 'GET /__sim/stats':
      sendJson(res, 200, {
        openStreams: state.recorder.openStreams(),
        requests: state.recorder.requests.length,
        streams: state.recorder.streams.length,
        faults: state.faults.size,
      });
      return;
    case 'POST /__sim/reset':
      resetState(state);
      sendJson(res, 200, { reset: true });
      return;
    default:
      sendJson(res, 404, { error: `no control route ${route}` });
  }
}

/** Forgets requests, streams, feedback records, faults and citation overrides; conversations stay. */
export function resetState(state: SimState): void {
  state.recorder.clear();
  state.faults.clear();
  state.citations.clear();
}
