// The bridge's live activity channel (WebSocket, Bearer token in the upgrade request). A closed
// socket is how an attached window learns that the owning window's bridge went away.
import type WebSocketType from 'ws';
import { ACTIVITY_PATH, type ActivityEvent } from '../../bridge/protocol';
import { parseActivityEvent } from '../status/activityView';

let wsModule: typeof WebSocketType | undefined;

/** ws (and the TLS/zlib modules it pulls in) loads on first connect, not during activation. */
function loadWebSocket(): typeof WebSocketType {
  wsModule ??= require('ws') as typeof WebSocketType;
  return wsModule;
}

export interface ActivityHandlers {
  onEvent(event: ActivityEvent): void;
  /** Called once; `opened` tells whether the socket had connected at all. */
  onClose(info: { opened: boolean; status?: number; reason: string }): void;
}

export interface ActivityConnection {
  close(): void;
}

export function connectActivity(
  port: number,
  token: string,
  handlers: ActivityHandlers,
): ActivityConnection {
  let opened = false;
  let closedByUs = false;
  let reported = false;
  const report = (info: { opened: boolean; status?: number; reason: string }) => {
    if (reported || closedByUs) return;
    reported = true;
    handlers.onClose(info);
  };
  const WebSocket = loadWebSocket();
  const socket = new WebSocket(`ws://127.0.0.1:${port}${ACTIVITY_PATH}`, {
    headers: { authorization: `Bearer ${token}` },
    handshakeTimeout: 3000,
  });
  socket.on('open', () => {
    opened = true;
  });
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const event = parseActivityEvent(data.toString());
    if (event) handlers.onEvent(event);
  });
  socket.on('unexpected-response', (_req, res) => {
    report({ opened, status: res.statusCode, reason: `upgrade refused (${res.statusCode})` });
    socket.terminate();
  });
  socket.on('error', (error) => report({ opened, reason: error.message }));
  socket.on('close', (code) => report({ opened, reason: `closed (${code})` }));
  return {
    close: () => {
      closedByUs = true;
      socket.removeAllListeners('message');
      // ws requires an error listener to stay attached, or a late error would crash the host.
      socket.on('error', () => undefined);
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close();
    },
  };
}
