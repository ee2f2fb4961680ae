// The account's CustomGPT.ai projects as VS Code language models (vendor "customgpt"): they
// appear in the Chat view's model picker and answer in Ask mode; other extensions reach them
// with vscode.lm.selectChatModels({ vendor: 'customgpt' }). Answers stream from the bridge in
// native mode: each project's own documents, citations, and one upstream conversation per chat.
import * as vscode from 'vscode';
import { baseOrigin } from '../../bridge/bridgeState';
import type { Ctx } from '../../ctx';
import { fetchAllProjects } from '../../setup/projectsClient';
import { askBridge } from './ask';
import { bridgeForChat } from './bridgeForChat';
import { chatErrorView } from './chatErrors';
import { ConversationMemory } from './conversations';
import { toChatMessages } from './messages';
import { type ProjectModel, projectIdOf, projectModel, projectModels } from './models';
import { problemOfOutcome } from './problems';
import type { ProjectFactsCache } from './projectFacts';
import { runningBridge } from './runningBridge';
import { missingSources } from './sources';
import { countTokens } from './tokens';

/** Settings lookups for model details: the first few projects (the selected one first). */
const DETAILED_PROJECTS = 10;

export class ProjectModelProvider implements vscode.LanguageModelChatProvider<ProjectModel> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly memory = new ConversationMemory();
  /** The last list the bridge gave, offered while it cannot give one (see knownModels). */
  private lastModels: ProjectModel[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly facts: ProjectFactsCache,
  ) {}

  /** The key, the project list or the bridge changed: VS Code asks for the models again. */
  refresh(): void {
    this.facts.clear();
    this.changed.fire();
  }

  async provideLanguageModelChatInformation(
    _options: vscode.PrepareLanguageModelChatModelOptions,
    token: vscode.CancellationToken,
  ): Promise<ProjectModel[]> {
    const bridge = await runningBridge(this.ctx);
    if (!bridge) return this.knownModels();
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      const projects = await fetchAllProjects(
        baseOrigin(bridge.port),
        bridge.token,
        () => undefined,
        abort.signal,
      );
      const selected = this.ctx.config().projectId || bridge.project;
      const first = projectModels(projects, new Map(), selected, bridge.simulated).slice(
        0,
        DETAILED_PROJECTS,
      );
      const known = new Map();
      await Promise.all(
        first.map(async (m) => {
          const facts = await this.facts.get(bridge, m.projectId).catch(() => undefined);
          if (facts) known.set(m.projectId, facts);
        }),
      );
      const models = projectModels(projects, known, selected, bridge.simulated);
      this.ctx.log.info(`Chat view: ${models.length} project(s) offered as language models.`);
      this.lastModels = models;
      return models;
    } catch (error) {
      if (!abort.signal.aborted) {
        this.ctx.log.warn(`Chat view: could not list projects as models: ${String(error)}`);
      }
      return this.knownModels();
    } finally {
      cancel.dispose();
    }
  }

  /**
   * While the bridge is stopped or cannot list projects (a rejected key), the models stay: the
   * last list, or the selected project alone. Without any model VS Code would answer
   * "Language model unavailable" and never let @customgpt say what is wrong and how to fix it.
   */
  private knownModels(): ProjectModel[] {
    if (this.lastModels.length > 0) return this.lastModels;
    const selected = this.ctx.config().projectId;
    if (!selected) return [];
    const name = this.ctx.projectName(selected) ?? `Project ${selected}`;
    return [projectModel({ id: selected, name, active: true }, undefined, this.ctx.demo)];
  }

  async provideLanguageModelChatResponse(
    model: ProjectModel,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    _options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const project = model.projectId ?? projectIdOf(model.id);
    if (!project) throw new Error(`CustomGPT: ${model.id} is not a CustomGPT.ai project.`);
    const chat = toChatMessages(messages);
    this.ctx.log.debug(
      `Chat view: ${messages.length} message(s) in, ${chat.map((m) => `${m.role}(${m.content.length})`).join(' ')} to the bridge.`,
    );
    if (chat.length === 0) throw new Error('CustomGPT: there is no question to answer.');
    const found = await bridgeForChat(this.ctx);
    if ('problem' in found) throw new Error(`CustomGPT: ${chatErrorView(found.problem).message}`);
    const { bridge } = found;
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    const continued = this.memory.sessionFor(project, chat);
    let text = '';
    try {
      const answered = await askBridge(
        {
          baseUrl: bridge.url,
          token: bridge.token,
          project,
          messages: chat,
          sessionId: continued,
          signal: abort.signal,
        },
        (delta) => {
          text += delta;
          progress.report(new vscode.LanguageModelTextPart(delta));
        },
      );
      const { outcome } = answered;
      if (outcome.kind === 'aborted') return;
      if (outcome.kind === 'error') {
        this.ctx.log.warn(`Chat view: ${model.id} could not answer: ${outcome.message}`);
        throw new Error(`CustomGPT: ${chatErrorView(problemOfOutcome(outcome)).message}`);
      }
      const sources = missingSources(text, answered.citations);
      if (sources) progress.report(new vscode.LanguageModelTextPart(sources));
      if (answered.sessionId) {
        this.memory.remember(project, chat, text + sources, answered.sessionId);
      }
      this.ctx.log.info(
        `Chat view: ${model.id} answered (${text.length} chars, ${answered.citations.length} ` +
          `citation(s), ${continued ? `continued session ${continued}` : 'new conversation'}).`,
      );
    } finally {
      cancel.dispose();
    }
  }

  provideTokenCount(
    _model: ProjectModel,
    text: string | vscode.LanguageModelChatRequestMessage,
  ): Thenable<number> {
    return Promise.resolve(countTokens(text));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
