// "@customgpt" in VS Code's Chat view: answers from the thread's project with streamed Markdown,
// each citation as a reference ("Used N references") and the Sources list, progress while
// CustomGPT.ai thinks, the project's example questions as follow-ups, and one upstream
// conversation per chat thread. /project switches this thread's project; /selection asks about
// the editor selection (shown as a reference to the file and lines). Thumbs up/down go to
// CustomGPT.ai's message feedback.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UsableBridge } from '../../bridge/bridgeAccess';
import { baseOrigin } from '../../bridge/bridgeState';
import type { Ctx } from '../../ctx';
import { fetchAllProjects, type ProjectSummary } from '../../setup/projectsClient';
import { promptWithSelection } from '../selectionPrompt';
import { askBridge } from './ask';
import { bridgeForChat } from './bridgeForChat';
import { type ChatProblem, chatErrorView, markdownText } from './chatErrors';
import { sendFeedback } from './feedbackClient';
import { problemOfOutcome } from './problems';
import type { ProjectFactsCache } from './projectFacts';
import { missingSources } from './sources';
import { followupsFor, matchProject, type TurnMetadata, threadState } from './thread';

export const PARTICIPANT_ID = 'customgpt.chat';
export const PARTICIPANT_NAME = 'customgpt';

/** A question without words after /selection still means something. */
const DEFAULT_SELECTION_QUESTION = 'Explain this.';

function showProblem(
  stream: vscode.ChatResponseStream,
  problem: ChatProblem,
  retryQuery: string | undefined,
): vscode.ChatResult {
  const view = chatErrorView(problem, retryQuery);
  // Theme icons on, so $(warning) is drawn as the icon; the message itself is plain text.
  stream.markdown(new vscode.MarkdownString(`$(warning) ${markdownText(view.message)}`, true));
  for (const button of view.buttons) stream.button(button);
  return { metadata: { error: problem.kind } };
}

/** What the Retry button sends: the same request, with its slash command. */
function queryOf(request: vscode.ChatRequest): string {
  const command = request.command ? `/${request.command} ` : '';
  return `@${PARTICIPANT_NAME} ${command}${request.prompt}`.trim();
}

interface Selection {
  location: vscode.Location;
  text: string;
  languageId: string;
  fileName: string;
}

/**
 * The editor selection: the active editor's, else a selection the Chat view attached to the
 * request (its implicit context, e.g. after focus moved to the chat).
 */
async function selectionOf(request: vscode.ChatRequest): Promise<Selection | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor && !editor.selection.isEmpty) {
    const text = editor.document.getText(editor.selection);
    if (text.trim()) {
      return {
        location: new vscode.Location(editor.document.uri, editor.selection),
        text,
        languageId: editor.document.languageId,
        fileName: path.basename(editor.document.fileName),
      };
    }
  }
  for (const reference of request.references) {
    const value = reference.value;
    if (!(value instanceof vscode.Location) || value.range.isEmpty) continue;
    const document = await vscode.workspace.openTextDocument(value.uri);
    const text = document.getText(value.range);
    if (!text.trim()) continue;
    return {
      location: value,
      text,
      languageId: document.languageId,
      fileName: path.basename(document.fileName),
    };
  }
  return undefined;
}

export class CustomGptParticipant implements vscode.Disposable {
  private readonly participant: vscode.ChatParticipant;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly ctx: Ctx,
    private readonly facts: ProjectFactsCache,
  ) {
    this.participant = vscode.chat.createChatParticipant(
      PARTICIPANT_ID,
      (request, context, stream, token) => this.handle(request, context, stream, token),
    );
    this.participant.iconPath = vscode.Uri.joinPath(
      ctx.extension.extensionUri,
      'media',
      'icon.png',
    );
    this.participant.followupProvider = {
      provideFollowups: (result) =>
        ((result.metadata as TurnMetadata | undefined)?.followups ?? []).map((prompt) => ({
          prompt,
          label: prompt,
        })),
    };
    this.subscription = this.participant.onDidReceiveFeedback((feedback) => {
      void this.onFeedback(feedback);
    });
  }

  private async handle(
    request: vscode.ChatRequest,
    context: vscode.ChatContext,
    stream: vscode.ChatResponseStream,
    token: vscode.CancellationToken,
  ): Promise<vscode.ChatResult> {
    const found = await bridgeForChat(this.ctx);
    if ('problem' in found) return showProblem(stream, found.problem, queryOf(request));
    const { bridge } = found;
    const thread = threadState(context.history);
    if (request.command === 'project') return this.switchProject(request, stream, bridge, token);
    const project = thread.projectId ?? (this.ctx.config().projectId || bridge.project);
    if (!project)
      return showProblem(
        stream,
        { kind: 'answer', message: '', code: 'project_missing' },
        undefined,
      );

    let question = request.prompt.trim();
    let prompt = question;
    if (request.command === 'selection') {
      const selection = await selectionOf(request);
      if (!selection) {
        stream.markdown(
          'Select some code or text in an editor first, then ask with `/selection` again.',
        );
        return {};
      }
      // The selection is sent to the project, and shown as what it is: a file and its lines.
      stream.reference(selection.location);
      question ||= DEFAULT_SELECTION_QUESTION;
      prompt = promptWithSelection(question, selection);
    }
    if (!question) {
      stream.markdown(
        `Ask a question after \`@${PARTICIPANT_NAME}\`, for example: \`@${PARTICIPANT_NAME} How do I get started?\``,
      );
      return { metadata: { projectId: project } satisfies TurnMetadata };
    }

    const name = this.ctx.projectName(project) ?? `project #${project}`;
    stream.progress(`Asking ${name}…`);
    const examples = this.facts.get(bridge, project).catch(() => undefined);
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    let text = '';
    try {
      const answered = await askBridge(
        {
          baseUrl: bridge.url,
          token: bridge.token,
          project,
          messages: [{ role: 'user', content: prompt }],
          sessionId: thread.projectId === project ? thread.sessionId : undefined,
          signal: abort.signal,
        },
        (delta) => {
          text += delta;
          stream.markdown(delta);
        },
      );
      const { outcome } = answered;
      if (outcome.kind === 'aborted')
        return { metadata: { projectId: project, sessionId: thread.sessionId } };
      if (outcome.kind === 'error') {
        this.ctx.log.warn(`@${PARTICIPANT_NAME} could not answer: ${outcome.message}`);
        const result = showProblem(stream, problemOfOutcome(outcome), queryOf(request));
        return {
          ...result,
          metadata: { ...result.metadata, projectId: project, sessionId: thread.sessionId },
        };
      }
      for (const citation of answered.citations) {
        stream.reference(vscode.Uri.parse(citation.url, true));
      }
      const sources = missingSources(text, answered.citations);
      if (sources) stream.markdown(sources);
      const metadata: TurnMetadata = {
        projectId: project,
        followups: followupsFor((await examples)?.exampleQuestions ?? [], question),
      };
      if (answered.sessionId) metadata.sessionId = answered.sessionId;
      if (answered.promptId !== undefined) metadata.promptId = answered.promptId;
      this.ctx.log.info(
        `@${PARTICIPANT_NAME} answered from project ${project} (${text.length} chars, ` +
          `${answered.citations.length} citation(s), session ${answered.sessionId ?? '?'}, prompt ${answered.promptId ?? '?'}).`,
      );
      return { metadata };
    } finally {
      cancel.dispose();
    }
  }

  /** /project [name or id]: this thread answers from another project from now on. */
  private async switchProject(
    request: vscode.ChatRequest,
    stream: vscode.ChatResponseStream,
    bridge: UsableBridge,
    token: vscode.CancellationToken,
  ): Promise<vscode.ChatResult> {
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    let projects: ProjectSummary[];
    try {
      stream.progress('Listing your projects…');
      projects = await fetchAllProjects(
        baseOrigin(bridge.port),
        bridge.token,
        () => undefined,
        abort.signal,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return showProblem(stream, { kind: 'answer', message }, queryOf(request));
    } finally {
      cancel.dispose();
    }
    let chosen = matchProject(projects, request.prompt);
    if (!chosen) {
      const picked = await vscode.window.showQuickPick(
        projects.map((p) => ({
          label: p.name || '(unnamed)',
          description: `#${p.id}`,
          project: p,
        })),
        {
          title: 'CustomGPT: project for this chat',
          placeHolder: 'Pick the project to answer from',
        },
        token,
      );
      chosen = picked?.project;
    }
    if (!chosen) {
      stream.markdown('No project picked: this chat keeps its project.');
      return {};
    }
    await this.ctx.rememberProjectName(chosen.id, chosen.name);
    const facts = await this.facts.get(bridge, chosen.id).catch(() => undefined);
    stream.markdown(
      `Now answering from **${chosen.name}** (#${chosen.id}) in this chat. ` +
        'Other chats and editor tools keep the project picked with **CustomGPT: Select Project**.',
    );
    const metadata: TurnMetadata = {
      projectId: chosen.id,
      followups: followupsFor(facts?.exampleQuestions ?? [], ''),
    };
    return { metadata };
  }

  private async onFeedback(feedback: vscode.ChatResultFeedback): Promise<void> {
    const metadata = feedback.result.metadata as TurnMetadata | undefined;
    const reaction = feedback.kind === vscode.ChatResultFeedbackKind.Helpful ? 'liked' : 'disliked';
    if (!metadata?.projectId || !metadata.sessionId || metadata.promptId === undefined) {
      this.ctx.log.info(
        `Feedback "${reaction}" ignored: that answer has no CustomGPT.ai message id.`,
      );
      return;
    }
    const credentials = this.ctx.supervisor.credentials;
    if (!credentials) {
      this.ctx.log.warn(`Feedback "${reaction}" not sent: the bridge is not running.`);
      return;
    }
    try {
      const status = await sendFeedback(
        credentials,
        {
          projectId: metadata.projectId,
          sessionId: metadata.sessionId,
          promptId: metadata.promptId,
        },
        reaction,
      );
      const how = status === 200 ? 'sent to CustomGPT.ai' : `refused (HTTP ${status})`;
      this.ctx.log.info(`Feedback "${reaction}" on answer ${metadata.promptId}: ${how}.`);
    } catch (error) {
      this.ctx.log.warn(`Feedback "${reaction}" not sent: ${String(error)}`);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.participant.dispose();
  }
}
