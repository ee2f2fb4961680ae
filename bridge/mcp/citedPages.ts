// The pages ask_project answers cited in this MCP session, as MCP resources. ask_project returns
// each cited web page as a resource link; clients such as VS Code then read that link from the
// server (resources/read) to show or attach it. Without this, VS Code would tell the model the
// cited page "may have been deleted". The bridge does not fetch pages: a read gives the page's
// title, URL and which project cited it. Bounded per session (oldest forgotten first).
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { Citation } from '../chat/completion';

export interface CitedPage {
  uri: string;
  title: string | null;
  project: string;
}

export class CitedPages {
  private readonly pages = new Map<string, CitedPage>();

  constructor(private readonly max = 200) {}

  /** Remembers the http(s) citations of an answer; returns their normalised URIs. */
  remember(project: string, citations: readonly Citation[]): void {
    for (const c of citations) {
      const uri = normalise(c.url);
      if (!uri) continue;
      this.pages.delete(uri); // re-inserted as the newest
      this.pages.set(uri, { uri, title: c.title, project });
      if (this.pages.size > this.max) this.pages.delete(this.pages.keys().next().value as string);
    }
  }

  get(uri: string): CitedPage | undefined {
    const key = normalise(uri);
    return key ? this.pages.get(key) : undefined;
  }

  list(): CitedPage[] {
    return [...this.pages.values()];
  }
}

/** What resources/read answers for a cited page. */
export function citedPageContents(page: CitedPage): ReadResourceResult {
  const title = page.title ?? page.uri;
  return {
    contents: [
      {
        uri: page.uri,
        mimeType: 'text/plain',
        text:
          `${title}\n${page.uri}\n\nCited by CustomGPT.ai project ${page.project}. The bridge ` +
          'keeps the title and address of cited pages, not their contents: open the URL to read the page.',
      },
    ],
  };
}

/** Registers the cited pages as one resource template (before the server connects). */
export function registerCitedPages(server: McpServer, pages: CitedPages): void {
  server.registerResource(
    'cited_page',
    new ResourceTemplate('{+url}', {
      list: () => ({
        resources: pages.list().map((p) => ({
          uri: p.uri,
          name: p.title ?? p.uri,
          ...(p.title ? { title: p.title } : {}),
          mimeType: 'text/plain',
        })),
      }),
    }),
    {
      title: 'Pages cited by CustomGPT.ai answers',
      description: 'Web pages that ask_project answers cited in this session (title and URL).',
      mimeType: 'text/plain',
    },
    (uri) => {
      const page = pages.get(uri.toString());
      if (!page)
        throw new Error(
          `${uri.toString()} was not cited by an ask_project answer in this session.`,
        );
      return citedPageContents(page);
    },
  );
}

function normalise(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}
