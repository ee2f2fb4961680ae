// The account's projects as VS Code language models (vendor "customgpt"). Pure: the provider
// feeds it the bridge's project list and whatever it knows of each project's settings.
import type { ProjectFacts } from '../../../bridge/protocol';
import type { ProjectSummary } from '../../setup/projectsClient';

export const VENDOR = 'customgpt';
export const MODEL_FAMILY = 'customgpt';
const MODEL_ID_PREFIX = 'customgpt-';

/**
 * CustomGPT.ai documents no prompt limit; the question travels inside its own retrieval prompt
 * with the project's documents, so the room left for a chat's history is what the smallest
 * model it offers (8 K context) leaves after the retrieved passages. A continued conversation
 * sends only the new question anyway: the earlier turns stay on CustomGPT.ai's side.
 */
export const MAX_INPUT_TOKENS = 8192;
/** Answers are a few paragraphs with their sources; CustomGPT.ai does not say its cap either. */
export const MAX_OUTPUT_TOKENS = 4096;

/** The shape of vscode.LanguageModelChatInformation, plus the project it answers from. */
export interface ProjectModel {
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: false; imageInput: false };
  projectId: string;
}

export function modelIdOf(projectId: string): string {
  return `${MODEL_ID_PREFIX}${projectId}`;
}

export function projectIdOf(modelId: string): string | undefined {
  return modelId.startsWith(MODEL_ID_PREFIX) ? modelId.slice(MODEL_ID_PREFIX.length) : undefined;
}

export function projectModel(
  project: ProjectSummary,
  facts: ProjectFacts | undefined,
  simulated: boolean,
): ProjectModel {
  const name = project.name.trim() || `Project ${project.id}`;
  const answers = simulated ? 'simulated answers (demo)' : 'answers from its own documents';
  return {
    id: modelIdOf(project.id),
    name,
    family: MODEL_FAMILY,
    version: facts?.model ?? '1',
    detail: facts?.model ?? 'CustomGPT.ai project',
    tooltip: `CustomGPT.ai project #${project.id}: ${answers}, with citations.`,
    maxInputTokens: MAX_INPUT_TOKENS,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    capabilities: { toolCalling: false, imageInput: false },
    projectId: project.id,
  };
}

/** Active projects, the selected one first (the picker lists models in this order). */
export function projectModels(
  projects: readonly ProjectSummary[],
  facts: ReadonlyMap<string, ProjectFacts>,
  selected: string,
  simulated: boolean,
): ProjectModel[] {
  const active = projects.filter((p) => p.active);
  const ordered = [
    ...active.filter((p) => p.id === selected),
    ...active.filter((p) => p.id !== selected),
  ];
  return ordered.map((p) => projectModel(p, facts.get(p.id), simulated));
}
