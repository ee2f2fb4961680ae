// Citation pages a test rewrites at run time (control API `PUT /__sim/citations/{id}`, or
// `Simulator.setCitation`): the citations endpoint then serves the override in place of the
// knowledge base's page, so tests can feed the bridge hostile or odd citation data (a
// `javascript:` url, a title holding Markdown or HTML) through the real wire.
import { citationById } from './knowledge';
import type { PageMetadata } from './wire';

export type CitationOverride = Partial<Omit<PageMetadata, 'id'>>;

const FIELDS = ['url', 'title', 'description', 'image'] as const;

/** Checks an untrusted value is a CitationOverride; returns it, or what is wrong with it. */
export function parseCitationOverride(
  value: unknown,
): { override: CitationOverride } | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'a citation override must be a JSON object' };
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      return { error: `unknown citation field ${JSON.stringify(key)}` };
    }
    if (v[key] !== null && typeof v[key] !== 'string') {
      return { error: `\`${key}\` must be a string or null` };
    }
  }
  return { override: v as CitationOverride };
}

export class CitationOverrides {
  private readonly pages = new Map<number, CitationOverride>();

  set(id: number, override: CitationOverride): void {
    this.pages.set(id, override);
  }

  clear(): void {
    this.pages.clear();
  }

  /** The page served for `id`: the override over the knowledge base's page, or undefined. */
  page(id: number): PageMetadata | undefined {
    const base = citationById(id);
    const override = this.pages.get(id);
    if (!override) return base;
    return {
      ...(base ?? { id, url: null, title: null, description: null, image: null }),
      ...override,
      id,
    };
  }
}
