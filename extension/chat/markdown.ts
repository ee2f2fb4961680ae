// Renders answers as Markdown in the extension host, safely: raw HTML in an answer is shown as
// text (html: false), images are not loaded (no tracking pixels; the webview's CSP blocks them
// anyway), and only http/https links survive. The webview then inserts trusted HTML only.
// chatPanel.ts imports this module lazily: markdown-it is not loaded during activation.
import MarkdownIt from 'markdown-it';
import { type Citation, isWebUrl } from './chatChunk';

const WEB_LINK = /^https?:\/\//i;

function createRenderer(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
  md.disable('image');
  md.validateLink = (url: string) => WEB_LINK.test(url.trim());
  const renderToken = md.renderer.renderToken.bind(md.renderer);
  md.renderer.rules.link_open = (tokens, index, options) => {
    const token = tokens[index];
    if (token) {
      token.attrSet('rel', 'noopener noreferrer');
      token.attrSet('title', token.attrGet('href') ?? '');
    }
    return renderToken(tokens, index, options);
  };
  return md;
}

let renderer: MarkdownIt | undefined;

export function renderMarkdown(text: string): string {
  renderer ??= createRenderer();
  return renderer.render(text);
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The "Sources" list under an answer; titles escaped, URLs already limited to http(s). */
export function renderSources(citations: readonly Citation[]): string {
  const items = citations
    .filter((c) => isWebUrl(c.url))
    .map(
      (c) =>
        `<li><a href="${escapeHtml(c.url)}" title="${escapeHtml(c.url)}" rel="noopener noreferrer">${escapeHtml(c.title)}</a></li>`,
    );
  if (items.length === 0) return '';
  return `<div class="sources-title">Sources</div><ol class="sources">${items.join('')}</ol>`;
}
