// "CustomGPT: Select Project": lists the account's projects through the bridge, page by page,
// in a quick pick that fills as pages arrive. The choice goes to the global setting.
import * as vscode from 'vscode';
import { projectModelId } from '../../bridge/models/ids';
import { requireBridge } from '../bridge/bridgeAccess';
import { baseOrigin } from '../bridge/bridgeState';
import { CONFIG_SECTION } from '../core/config';
import { editorError } from '../core/errorWords';
import type { Ctx } from '../ctx';
import { offer } from '../status/offer';
import { fetchAllProjects, type ProjectSummary, ProjectsError } from './projectsClient';

interface ProjectItem extends vscode.QuickPickItem {
  project: ProjectSummary;
}

function toItem(project: ProjectSummary, currentId: string): ProjectItem {
  return {
    label: `${project.id === currentId ? '$(check) ' : ''}${project.name || '(unnamed)'}`,
    // The model id tools pick to ask this project (GET /v1/models lists the same ids).
    description: `#${project.id} · ${projectModelId(project.id)}`,
    detail: project.active ? undefined : 'chat is inactive for this project',
    project,
  };
}

export async function selectProject(ctx: Ctx): Promise<boolean> {
  const bridge = await requireBridge(ctx);
  if (!bridge) return false;
  const currentId = ctx.config().projectId;
  const pick = vscode.window.createQuickPick<ProjectItem>();
  pick.title = 'CustomGPT: Select Project';
  pick.placeholder = 'Loading your projects…';
  pick.matchOnDescription = true;
  pick.busy = true;
  pick.ignoreFocusOut = true;
  const abort = new AbortController();
  const items: ProjectItem[] = [];
  const chosen = new Promise<ProjectSummary | undefined>((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.project);
      pick.hide();
    });
    pick.onDidHide(() => {
      abort.abort();
      resolve(undefined);
    });
  });
  pick.show();
  fetchAllProjects(
    baseOrigin(bridge.port),
    bridge.token,
    (page) => {
      items.push(...page.projects.map((p) => toItem(p, currentId)));
      pick.items = items;
      pick.placeholder = `Pick the project to answer from (${items.length} of ${page.total})`;
    },
    abort.signal,
  )
    .then((all) => {
      pick.busy = false;
      if (all.length === 0) pick.placeholder = 'This account has no projects yet.';
    })
    .catch((error: unknown) => {
      if (abort.signal.aborted) return;
      pick.hide();
      const message = error instanceof Error ? error.message : String(error);
      ctx.log.error(message);
      // The log keeps the bridge's words; the person gets editor words (no env vars or flags).
      const code = error instanceof ProjectsError ? error.code : undefined;
      if (code === 'customgpt_key_rejected') ctx.setKeyRejected(true);
      const shown = code
        ? `Could not list projects. ${editorError(code, message).message}`
        : message;
      offer(vscode.window.showErrorMessage(`CustomGPT: ${shown}`, 'Set API Key', 'Show Log'), {
        'Set API Key': () => vscode.commands.executeCommand('customgpt.setApiKey'),
        'Show Log': () => ctx.channel.show(),
      });
    });
  const project = await chosen;
  pick.dispose();
  if (!project) return false;
  await ctx.rememberProjectName(project.id, project.name);
  await vscode.workspace
    .getConfiguration(CONFIG_SECTION)
    .update('projectId', project.id, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(
    `CustomGPT: answering from "${project.name}" (#${project.id}). In editor tools, model ` +
      `"${projectModelId(project.id)}" asks this project; another project's id asks that one.`,
  );
  return true;
}
