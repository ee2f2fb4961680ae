// The pure parts of the VS Code Chat integration: message conversion, token counts, the model
// list, the conversation memory, thread state, error words and the Sources fallback.
import * as assert from 'node:assert/strict';
import type { ChatOutcome } from '../../../../extension/chat/chatClient';
import { chatErrorView, markdownText } from '../../../../extension/chat/vscode/chatErrors';
import { ConversationMemory, fingerprint } from '../../../../extension/chat/vscode/conversations';
import { feedbackUrl } from '../../../../extension/chat/vscode/feedbackClient';
import { toChatMessages, userRequestOf } from '../../../../extension/chat/vscode/messages';
import {
  MAX_INPUT_TOKENS,
  modelIdOf,
  projectIdOf,
  projectModels,
} from '../../../../extension/chat/vscode/models';
import { problemOfOutcome } from '../../../../extension/chat/vscode/problems';
import { missingSources } from '../../../../extension/chat/vscode/sources';
import { followupsFor, matchProject, threadState } from '../../../../extension/chat/vscode/thread';
import {
  countTokens,
  estimateTokens,
  TOKENS_PER_MESSAGE,
} from '../../../../extension/chat/vscode/tokens';
import { editorError } from '../../../../extension/core/errorWords';

const text = (value: string) => ({ value });
const user = (...parts: unknown[]) => ({ role: 1, content: parts });
const assistant = (...parts: unknown[]) => ({ role: 2, content: parts });
const system = (...parts: unknown[]) => ({ role: 3, content: parts });

describe('VS Code Chat: message conversion', () => {
  it('keeps user and assistant text, joins text parts, ends with the question', () => {
    assert.deepEqual(
      toChatMessages([
        user(text('How do I '), text('install it?')),
        assistant(text('Run npm install.')),
        user(text('And then?')),
      ]),
      [
        { role: 'user', content: 'How do I install it?' },
        { role: 'assistant', content: 'Run npm install.' },
        { role: 'user', content: 'And then?' },
      ],
    );
  });

  it("drops system turns (they would replace the project's persona), tool and data parts", () => {
    const toolCall = { callId: 'c1', name: 'search', input: {} };
    const toolResult = { callId: 'c1', content: [text('result')] };
    const data = { mimeType: 'image/png', data: new Uint8Array([1, 2]) };
    assert.deepEqual(
      toChatMessages([
        system(text('You are an AI programming assistant.')),
        user(text('Hi'), data),
        assistant(toolCall),
        user(toolResult, text('Question')),
      ]),
      [{ role: 'user', content: 'Hi\n\nQuestion' }],
    );
  });

  it("takes the person's words out of the default agent's <userRequest> scaffolding", () => {
    const wrapped =
      '<context>The current date is 1 Dec 2026.</context>\n<reminderInstructions>Be brief.</reminderInstructions>\n<userRequest>\nHow do routes work?\n</userRequest>';
    assert.equal(userRequestOf(wrapped), 'How do routes work?');
    assert.equal(userRequestOf('plain question'), 'plain question');
    // Ask mode (Copilot Chat 0.67) wraps the current question in <prompt>.
    assert.equal(
      userRequestOf('<prompt>\nHow do I install it?\n</prompt>'),
      'How do I install it?',
    );
    assert.equal(userRequestOf('Why <prompt> here?'), 'Why <prompt> here?');
    assert.deepEqual(toChatMessages([user(text(wrapped))]), [
      { role: 'user', content: 'How do routes work?' },
    ]);
  });

  it('an Ask-mode follow-up reads like the history it continues (the fingerprint matches)', () => {
    const first = toChatMessages([
      system(text('You are an AI programming assistant.')),
      user(text('<prompt>\nHow do I install it?\n</prompt>')),
    ]);
    const second = toChatMessages([
      system(text('You are an AI programming assistant.')),
      user(text('How do I install it?')),
      assistant(text('Run npm install.')),
      user(text('<prompt>\nAnd deploy?\n</prompt>')),
    ]);
    assert.deepEqual(second.slice(0, 1), first);
    assert.deepEqual(second.at(-1), { role: 'user', content: 'And deploy?' });
  });

  it('drops empty turns and trailing assistant text; nothing to ask -> empty', () => {
    assert.deepEqual(toChatMessages([user(text('  ')), assistant(text('x'))]), []);
    assert.deepEqual(toChatMessages([]), []);
  });
});

describe('VS Code Chat: token count', () => {
  it('estimates about 4 UTF-8 bytes per token, rounding up', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    // é is 2 bytes, € 3, an emoji (a surrogate pair) 4.
    assert.equal(estimateTokens('éé'), 1);
    assert.equal(estimateTokens('€€€€'), 3);
    assert.equal(estimateTokens('😀😀'), 2);
  });

  it('counts a message with its per-message overhead', () => {
    assert.equal(countTokens(user(text('abcd'), text('efgh'))), 2 + TOKENS_PER_MESSAGE);
  });

  it('is cheap: a megabyte is counted in well under a second', () => {
    const big = 'x'.repeat(1_000_000);
    const started = process.hrtime.bigint();
    assert.equal(estimateTokens(big), 250_000);
    assert.ok(process.hrtime.bigint() - started < 1_000_000_000n);
  });
});

describe('VS Code Chat: projects as models', () => {
  const projects = [
    { id: '1001', name: 'Acme Rocket Docs', active: true },
    { id: '1002', name: 'Acme Rocket Support', active: true },
    { id: '1003', name: 'Old', active: false },
    { id: '1004', name: '  ', active: true },
  ];
  const facts = new Map([['1002', { id: '1002', model: 'gpt-4-1', exampleQuestions: [] }]]);

  it('lists active projects, the selected one first, with ids customgpt-<projectId>', () => {
    const models = projectModels(projects, facts, '1002', false);
    assert.deepEqual(
      models.map((m) => [m.id, m.name]),
      [
        ['customgpt-1002', 'Acme Rocket Support'],
        ['customgpt-1001', 'Acme Rocket Docs'],
        ['customgpt-1004', 'Project 1004'],
      ],
    );
  });

  it("names the project's model as detail when known; no tool calling; honest limits", () => {
    const [support, docs] = projectModels(projects, facts, '1002', false);
    assert.equal(support?.detail, 'gpt-4-1');
    assert.equal(docs?.detail, 'CustomGPT.ai project');
    assert.deepEqual(support?.capabilities, { toolCalling: false, imageInput: false });
    assert.equal(support?.maxInputTokens, MAX_INPUT_TOKENS);
    assert.equal(support?.family, 'customgpt');
    assert.match(support?.tooltip ?? '', /#1002/);
    assert.match(projectModels(projects, facts, '', true)[0]?.tooltip ?? '', /demo/);
  });

  it('maps model ids back to project ids', () => {
    assert.equal(modelIdOf('1001'), 'customgpt-1001');
    assert.equal(projectIdOf('customgpt-1001'), '1001');
    assert.equal(projectIdOf('gpt-4o'), undefined);
  });
});

describe('VS Code Chat: conversation memory', () => {
  const q1 = { role: 'user' as const, content: 'How do I install Acme Rocket?' };
  const a1 = {
    role: 'assistant' as const,
    content: 'Run `npm install @acme/rocket`.\n\n**Sources**\n1. [Install](https://x)',
  };
  const q2 = { role: 'user' as const, content: 'And deploy it?' };

  it('continues the session of a transcript it answered, even re-rendered by the Chat view', () => {
    const memory = new ConversationMemory();
    assert.equal(memory.sessionFor('1001', [q1]), undefined);
    memory.remember('1001', [q1], a1.content, 'sess-1');
    // The Chat view hands the answer back with other whitespace and link rendering.
    const rerendered = {
      role: 'assistant' as const,
      content: 'Run  npm install @acme/rocket .\n**Sources**\n\n1. [Install]( https://x )',
    };
    assert.equal(memory.sessionFor('1001', [q1, rerendered, q2]), 'sess-1');
    assert.equal(memory.sessionFor('1002', [q1, rerendered, q2]), undefined, 'other project');
    const other = { role: 'user' as const, content: 'Something else entirely' };
    assert.equal(memory.sessionFor('1001', [other, a1, q2]), undefined, 'other chat');
  });

  it('is bounded (oldest dropped) and forgets a session on request', () => {
    const memory = new ConversationMemory(2);
    for (const n of [1, 2, 3]) {
      memory.remember('p', [{ role: 'user', content: `q${n}` }], `a${n}`, `s${n}`);
    }
    assert.equal(memory.size, 2);
    const follow = (n: number) => [
      { role: 'user' as const, content: `q${n}` },
      { role: 'assistant' as const, content: `a${n}` },
      q2,
    ];
    assert.equal(memory.sessionFor('p', follow(1)), undefined);
    assert.equal(memory.sessionFor('p', follow(3)), 's3');
    memory.forget('s3');
    assert.equal(memory.sessionFor('p', follow(3)), undefined);
  });

  it('fingerprints only letters and digits of each turn', () => {
    assert.equal(
      fingerprint('p', [{ role: 'user', content: 'Hello, World!' }]),
      fingerprint('p', [{ role: 'user', content: 'hello world' }]),
    );
  });
});

describe('VS Code Chat: thread state from the participant history', () => {
  const request = { prompt: 'q', command: undefined };
  const response = (metadata: unknown) => ({ response: [], result: { metadata } });

  it('takes the latest project and its session from the response turns', () => {
    assert.deepEqual(threadState([]), { projectId: undefined, sessionId: undefined });
    assert.deepEqual(
      threadState([
        request,
        response({ projectId: '1001', sessionId: 's1', promptId: 4 }),
        request,
      ]),
      { projectId: '1001', sessionId: 's1' },
    );
    // /project switched: the new project, no session yet.
    assert.deepEqual(
      threadState([
        response({ projectId: '1001', sessionId: 's1' }),
        response({ projectId: '1002' }),
      ]),
      { projectId: '1002', sessionId: undefined },
    );
    // An error turn without metadata does not reset the thread.
    assert.deepEqual(
      threadState([
        response({ projectId: '1001', sessionId: 's1' }),
        response({ error: 'no-key' }),
      ]),
      { projectId: '1001', sessionId: 's1' },
    );
  });

  it('offers up to three example questions, not the one just asked', () => {
    assert.deepEqual(followupsFor(['A?', 'B?', 'C?', 'D?'], ' a? '), ['B?', 'C?', 'D?']);
  });

  it('/project matches an id, an exact name, or the one name containing the words', () => {
    const projects = [
      { id: '1001', name: 'Acme Rocket Docs' },
      { id: '1002', name: 'Acme Rocket Support' },
    ];
    assert.equal(matchProject(projects, '1002')?.id, '1002');
    assert.equal(matchProject(projects, '#1001')?.id, '1001');
    assert.equal(matchProject(projects, 'acme rocket support')?.id, '1002');
    assert.equal(matchProject(projects, 'support')?.id, '1002');
    assert.equal(matchProject(projects, 'acme'), undefined, 'ambiguous');
    assert.equal(matchProject(projects, ''), undefined);
  });
});

describe('VS Code Chat: errors in the Chat view', () => {
  const titles = (view: { buttons: { title: string }[] }) => view.buttons.map((b) => b.title);

  it('no key -> Set API Key and Try the Demo', () => {
    const view = chatErrorView({ kind: 'no-key' }, '@customgpt hi');
    assert.match(view.message, /No CustomGPT\.ai API key/);
    assert.deepEqual(titles(view), ['Set API Key', 'Try the Demo']);
    assert.deepEqual(
      chatErrorView({ kind: 'answer', message: 'x', status: 401, code: 'customgpt_key_missing' }),
      view,
    );
  });

  it('a rejected key -> Set API Key and Show Log', () => {
    const view = chatErrorView(
      {
        kind: 'answer',
        message: 'CustomGPT.ai rejected the API key (HTTP 401).',
        status: 401,
        code: 'customgpt_key_rejected',
      },
      '@customgpt hi',
    );
    assert.match(view.message, /rejected your API key/);
    assert.deepEqual(titles(view), ['Set API Key', 'Show Log']);
    assert.equal(view.buttons[0]?.command, 'customgpt.setApiKey');
  });

  it('speaks the same words as the chat panel: one table (core/errorWords.ts)', () => {
    for (const code of ['customgpt_forbidden', 'project_not_found', 'upstream_timeout']) {
      const view = chatErrorView({ kind: 'answer', message: 'x', code }, 'q');
      assert.equal(view.message, editorError(code, 'x').message, code);
    }
  });

  it('a stopped bridge -> Start Bridge; a failed one -> Restart Bridge, Show Log', () => {
    const stopped = chatErrorView({ kind: 'bridge-stopped' });
    assert.match(stopped.message, /bridge is stopped/);
    assert.deepEqual(titles(stopped), ['Start Bridge', 'Show Log']);
    assert.equal(stopped.buttons[0]?.command, 'customgpt.startBridge');
    const failed = chatErrorView({ kind: 'bridge-error', message: 'port 8765 is in use.' });
    assert.match(failed.message, /not running: port 8765 is in use\./);
    assert.deepEqual(titles(failed), ['Restart Bridge', 'Show Log']);
    assert.deepEqual(titles(chatErrorView({ kind: 'unreachable', message: 'ECONNREFUSED' })), [
      'Restart Bridge',
      'Show Log',
    ]);
  });

  it('busy bridge and upstream 429 -> retry with the wait; Retry re-asks the same query', () => {
    const busy = chatErrorView(
      { kind: 'answer', message: 'x', status: 429, code: 'bridge_overloaded', retryAfter: '1' },
      '@customgpt /selection why?',
    );
    assert.match(busy.message, /busy.*Retry in 1 second\./);
    assert.deepEqual(busy.buttons, [
      {
        command: 'workbench.action.chat.open',
        title: 'Retry',
        arguments: [{ query: '@customgpt /selection why?' }],
      },
    ]);
    const limited = chatErrorView(
      { kind: 'answer', message: 'x', status: 429, code: 'rate_limit_exceeded', retryAfter: '30' },
      '@customgpt hi',
    );
    assert.match(limited.message, /rate-limiting your key.*Retry in 30 seconds\./);
    assert.match(
      chatErrorView({ kind: 'answer', message: 'x', status: 429 }, 'q').message,
      /Retry in a moment\./,
    );
  });

  it('an upstream outage -> "usually temporary", Retry and Show Log', () => {
    const view = chatErrorView(
      {
        kind: 'answer',
        message: 'CustomGPT.ai answered with HTTP 503.',
        status: 502,
        code: 'upstream_error',
      },
      '@customgpt hi',
    );
    assert.match(view.message, /could not answer right now\. This is usually temporary/);
    assert.deepEqual(titles(view), ['Retry', 'Show Log']);
    // An error event mid-stream carries a code but no status.
    assert.deepEqual(
      titles(
        chatErrorView({ kind: 'answer', message: 'broke', code: 'upstream_stream_error' }, 'q'),
      ),
      ['Retry', 'Show Log'],
    );
  });

  it('project problems -> Select Project', () => {
    for (const code of ['project_not_found', 'project_missing', 'customgpt_forbidden']) {
      const view = chatErrorView({ kind: 'answer', message: 'x', code });
      assert.equal(view.buttons[0]?.title, 'Select Project', code);
    }
  });

  it('words go into Markdown as plain text (no formatting, no links, spaces kept)', () => {
    assert.equal(
      markdownText('Use *key* [here](x) `now`_ #1'),
      'Use \\*key\\* \\[here\\]\\(x\\) \\`now\\`\\_ \\#1',
    );
  });

  it("never shows a stack trace: the bridge's message is the only detail", () => {
    const view = chatErrorView(
      { kind: 'answer', message: 'Internal bridge error: boom', status: 500 },
      'q',
    );
    assert.doesNotMatch(view.message, /\n\s+at /);
  });

  it('a chat client outcome becomes the matching problem', () => {
    const outcome = (o: Partial<Extract<ChatOutcome, { kind: 'error' }>>) =>
      ({ kind: 'error', text: '', message: 'm', ...o }) as Extract<ChatOutcome, { kind: 'error' }>;
    assert.deepEqual(
      problemOfOutcome(outcome({ message: 'Could not reach the bridge: fetch failed' })),
      {
        kind: 'unreachable',
        message: 'fetch failed',
      },
    );
    assert.deepEqual(problemOfOutcome(outcome({ status: 429, code: 'c', retryAfter: '3' })), {
      kind: 'answer',
      message: 'm',
      status: 429,
      code: 'c',
      retryAfter: '3',
    });
  });
});

describe('VS Code Chat: Sources and feedback', () => {
  const citations = [{ id: '7', title: 'Install', url: 'https://docs.example/install' }];

  it('adds the Sources list only when the bridge did not append one', () => {
    assert.equal(missingSources('Answer', []), '');
    assert.equal(
      missingSources(
        'Answer\n\n**Sources**\n1. [Install](https://docs.example/install)',
        citations,
      ),
      '',
    );
    assert.equal(
      missingSources('Answer', citations),
      '\n\n**Sources**\n1. [Install](https://docs.example/install)',
    );
  });

  it("feedback goes to CustomGPT.ai's own path on the bridge", () => {
    assert.equal(
      feedbackUrl(8765, { projectId: '1001', sessionId: 'ab-12', promptId: 433 }),
      'http://127.0.0.1:8765/api/v1/projects/1001/conversations/ab-12/messages/433/feedback',
    );
  });
});
