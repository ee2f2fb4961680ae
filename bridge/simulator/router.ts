// Maps an authorised /api/v1 request to its handler by method and path segments; anything
// else gets the 404 envelope.
import { chatCompletions } from './compat';
import type { Exchange, SimState } from './context';
import {
  createConversation,
  deleteConversation,
  getCitation,
  getLimits,
  getMessage,
  getProject,
  getSettings,
  getUser,
  giveFeedback,
  listConversations,
  listMessages,
  listProjects,
  renameConversation,
  sendMessage,
} from './native';
import { sendError } from './responses';
import { listPages } from './sources';

export const API_PREFIX = '/api/v1/';

export function route(ex: Exchange, state: SimState): void | Promise<void> {
  const seg = ex.path.slice(API_PREFIX.length).replace(/\/+$/, '').split('/');
  const get = ex.method === 'GET';
  const post = ex.method === 'POST';
  const put = ex.method === 'PUT';
  const [first, id = '', third, fourth, fifth, sixth, seventh] = seg;
  const n = seg.length;

  if (first === 'projects') {
    if (n === 1 && get) return listProjects(ex, state);
    if (n === 2 && get) return getProject(ex, state, id);
    if (third === 'settings' && n === 3 && get) return getSettings(ex, state, id);
    if (third === 'conversations') {
      if (n === 3 && get) return listConversations(ex, state, id);
      if (n === 3 && post) return createConversation(ex, state, id);
      if (n === 4 && fourth && ex.method === 'DELETE')
        return deleteConversation(ex, state, id, fourth);
      if (n === 4 && fourth && ex.method === 'PUT')
        return renameConversation(ex, state, id, fourth);
      if (fifth === 'messages' && fourth) {
        if (n === 5 && get) return listMessages(ex, state, id, fourth);
        if (n === 5 && post) return sendMessage(ex, state, id, fourth);
        if (n === 6 && get && sixth) return getMessage(ex, state, id, fourth, sixth);
        if (n === 7 && put && sixth && seventh === 'feedback')
          return giveFeedback(ex, state, id, fourth, sixth);
      }
    }
    if (third === 'pages' && n === 3 && get) return listPages(ex, state, id);
    if (third === 'citations' && n === 4 && get && fourth)
      return getCitation(ex, state, id, fourth);
    if (third === 'chat' && fourth === 'completions' && n === 4 && post)
      return chatCompletions(ex, state, id);
  }
  if (first === 'user' && n === 1 && get) return getUser(ex, state);
  if (first === 'limits' && id === 'usage' && n === 2 && get) return getLimits(ex, state);
  sendError(ex.res, ex.url, 404, 'Not Found');
}
