// The simulator's built-in knowledge base: a few pages of documentation for "Acme Rocket", a
// fictional HTTP framework, and the deterministic answer the simulated agent gives from them.
// Tests compute their expectations with `answerFor`, so the answer must depend on the prompt
// alone (not on the project, the conversation or the time).
import type { PageMetadata } from './wire';

export interface KnowledgeDoc {
  citationId: number;
  title: string;
  url: string;
  description: string;
  image: string | null;
  /** Lower-case stems; a prompt word matches when it starts with one. */
  keywords: readonly string[];
  passage: string;
}

export interface Answer {
  /** Markdown. */
  text: string;
  citationIds: number[];
}

/** The settings' `no_answer_message` of every simulated project. */
export const NO_ANSWER_MESSAGE = "I'm sorry, I don't know the answer";

const SITE = 'https://docs.acme-rocket.example';

export const KNOWLEDGE: readonly KnowledgeDoc[] = [
  {
    citationId: 12071,
    title: 'Installing Acme Rocket',
    url: `${SITE}/getting-started/installation`,
    description: 'Requirements, installation and your first Acme Rocket app.',
    image: `${SITE}/img/og-installation.png`,
    keywords: ['install', 'setup', 'npm', 'requirement', 'scaffold', 'init', 'start'],
    passage:
      'Acme Rocket needs Node.js 20 or newer. Install it with `npm install @acme/rocket`, ' +
      'or run `npx rocket init` to scaffold a project with one route and one test. ' +
      '`rocket().listen(3000)` starts the app.',
  },
  {
    citationId: 12072,
    title: 'Routing',
    url: `${SITE}/guide/routing`,
    description: 'Map HTTP methods and paths to handlers.',
    image: null,
    keywords: ['route', 'routing', 'path', 'param', 'endpoint', 'url', 'handler', 'wildcard'],
    passage:
      "Routes map a method and a path to a handler, as in `app.get('/users/:id', handler)`. " +
      'Path parameters arrive in `ctx.params`. Routes match in registration order, so ' +
      'register specific paths before wildcards.',
  },
  {
    citationId: 12073,
    title: 'Middleware',
    url: `${SITE}/guide/middleware`,
    description: 'Compose request handling with async middleware.',
    image: null,
    keywords: ['middleware', 'plugin', 'hook', 'cors', 'auth', 'logging', 'pipeline', 'compress'],
    passage:
      'Middleware are async functions `(ctx, next)` added with `app.use()`. Call ' +
      '`await next()` to pass control on; code after it runs on the way back. Built-ins ' +
      'include `cors()`, `bodyParser()` and `compress()`.',
  },
  {
    citationId: 12074,
    title: 'Configuration',
    url: `${SITE}/reference/configuration`,
    description: 'rocket.config.js, environment variables and runtime settings.',
    image: `${SITE}/img/og-configuration.png`,
    keywords: ['config', 'setting', 'environment', 'env', 'option', 'port', 'variable'],
    passage:
      'Acme Rocket reads `rocket.config.js` and merges environment variables prefixed ' +
      '`ROCKET_`, so `ROCKET_PORT=8080` overrides `port`. Read values with ' +
      "`app.config.get('key')`; unknown keys fail at startup.",
  },
  {
    citationId: 12075,
    title: 'Deploying to production',
    url: `${SITE}/guides/deployment`,
    description: 'Build, containerise and scale an Acme Rocket app.',
    image: null,
    keywords: ['deploy', 'production', 'docker', 'container', 'cluster', 'scal', 'worker', 'build'],
    passage:
      'Run `rocket build`, then `NODE_ENV=production rocket start`. The `acme/rocket:20` ' +
      'Docker image listens on port 3000 and forks `ROCKET_WORKERS` workers. Put a reverse ' +
      'proxy such as nginx in front for TLS.',
  },
  {
    citationId: 12076,
    title: 'Testing your app',
    url: `${SITE}/guides/testing`,
    description: 'Test routes without opening a socket.',
    image: null,
    keywords: ['test', 'unit', 'mock', 'inject', 'assert', 'fixture', 'spec'],
    passage:
      '`app.inject()` sends a request to your app without opening a socket and resolves ' +
      'with `{ status, headers, body }`, so any test runner works. `@acme/rocket-testing` ' +
      'adds database fixtures and a fake clock.',
  },
];

const BY_CITATION = new Map(KNOWLEDGE.map((d) => [d.citationId, d]));

/** A page of the knowledge base as the citations endpoint serves it, or undefined. */
export function citationById(id: number): PageMetadata | undefined {
  const doc = BY_CITATION.get(id);
  if (!doc) return undefined;
  return {
    id: doc.citationId,
    url: doc.url,
    title: doc.title,
    description: doc.description,
    image: doc.image,
  };
}

/** How many of the doc's keywords some prompt word starts with. */
function score(doc: KnowledgeDoc, words: readonly string[]): number {
  let n = 0;
  for (const k of doc.keywords) if (words.some((w) => w.startsWith(k))) n++;
  return n;
}

/** The best one or two docs for a prompt, best first; ties keep the knowledge base's order. */
export function matchDocs(prompt: string): KnowledgeDoc[] {
  const words = prompt.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  if (words.length === 0) return [];
  return KNOWLEDGE.map((doc, i) => ({ doc, i, s: score(doc, words) }))
    .filter((m) => m.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, 2)
    .map((m) => m.doc);
}

/** The simulated agent's answer: Markdown quoting the best docs, or the no-answer message. */
export function answerFor(prompt: string): Answer {
  const docs = matchDocs(prompt);
  const [first, second] = docs;
  if (!first) return { text: NO_ANSWER_MESSAGE, citationIds: [] };
  const text = second
    ? `From the Acme Rocket docs:\n\n**${first.title}.** ${first.passage}\n\n**${second.title}.** ${second.passage}`
    : `From the Acme Rocket docs, **${first.title}**:\n\n${first.passage}\n\nSee the linked page for details.`;
  return { text, citationIds: docs.map((d) => d.citationId) };
}
