// What the empty chat panel says before the first question: the project's name, its example
// questions as one-click prompts, and, in demo mode, that the answers are simulated from the
// fictional Acme Rocket docs (so "I don't know" to a generic question is no surprise). Pure.
import type { ProjectBody } from '../../bridge/protocol';
import { isRecord } from '../../shared/isRecord';

export interface ChatIntro {
  title: string;
  /** One-click prompts. */
  questions: string[];
  /** Shown in demo mode only. */
  demoNote?: string;
}

export const DEMO_NOTE =
  'Demo mode: answers are simulated from the fictional Acme Rocket docs, so ask about Acme Rocket. Set an API key to ask your own project.';

/** Reads GET /bridge/project's body defensively (an older bridge has no such route). */
export function parseProjectBody(body: unknown): ProjectBody | undefined {
  if (!isRecord(body) || typeof body.id !== 'string') return undefined;
  return {
    id: body.id,
    name: typeof body.name === 'string' && body.name.trim() ? body.name.trim() : null,
    exampleQuestions: Array.isArray(body.exampleQuestions)
      ? body.exampleQuestions.filter((q): q is string => typeof q === 'string' && q.trim() !== '')
      : [],
    simulated: body.simulated === true,
  };
}

export function chatIntro(project: ProjectBody | undefined): ChatIntro {
  const name = project?.name ?? (project?.id ? `project #${project.id}` : undefined);
  const intro: ChatIntro = {
    title: name ? `Ask ${name}` : 'Ask your CustomGPT.ai project',
    questions: project?.exampleQuestions.slice(0, 6) ?? [],
  };
  if (project?.simulated) intro.demoNote = DEMO_NOTE;
  return intro;
}
