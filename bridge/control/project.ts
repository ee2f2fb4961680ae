// GET /bridge/project: the running project's name and example questions, so the editor's empty
// chat can say what to ask (and the demo can say it only knows the Acme Rocket docs).
import type { ProjectBody } from '../protocol';
import type { ProjectProfiles } from '../upstream/profiles';

export function projectInfo(
  profiles: ProjectProfiles,
  project: string | undefined,
  simulated: boolean,
): () => Promise<ProjectBody> {
  return async () => {
    if (!project) return { id: '', name: null, exampleQuestions: [], simulated };
    const profile = await profiles.get(project);
    return { id: project, ...profile, simulated };
  };
}
