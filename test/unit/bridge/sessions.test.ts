// Conversation reuse: transcript keys, the session memory (LRU + TTL), transcript folding and
// the persona built from system/developer turns. Also the LruTtl map under them.
import assert from 'node:assert/strict';
import type { ChatTurn } from '../../../bridge/chat/request.js';
import { LruTtl } from '../../../bridge/upstream/lru.js';
import {
  foldTranscript,
  MAX_FOLDED_PROMPT_BYTES,
  personaOf,
  SessionMemory,
  transcriptKey,
} from '../../../bridge/upstream/sessions.js';

const u = (text: string): ChatTurn => ({ role: 'user', text });
const a = (text: string): ChatTurn => ({ role: 'assistant', text });
const s = (text: string): ChatTurn => ({ role: 'system', text });
const d = (text: string): ChatTurn => ({ role: 'developer', text });

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number): void => {
      t += ms;
    },
  };
}

describe('transcriptKey', () => {
  it('is a stable base64url sha256 digest', () => {
    const k = transcriptKey('7', [u('Q1'), a('A1')]);
    assert.match(k, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(transcriptKey('7', [u('Q1'), a('A1')]), k);
  });

  it('ignores leading and trailing whitespace of each turn', () => {
    assert.equal(
      transcriptKey('7', [u('  Q1\n'), a('\tA1  ')]),
      transcriptKey('7', [u('Q1'), a('A1')]),
    );
  });

  it('does not ignore inner whitespace or case', () => {
    const base = transcriptKey('7', [u('Q 1')]);
    assert.notEqual(transcriptKey('7', [u('Q  1')]), base);
    assert.notEqual(transcriptKey('7', [u('q 1')]), base);
  });

  it('is role-sensitive', () => {
    assert.notEqual(transcriptKey('7', [u('X')]), transcriptKey('7', [a('X')]));
    assert.notEqual(transcriptKey('7', [u('Q'), a('A')]), transcriptKey('7', [a('Q'), u('A')]));
  });

  it('is order- and turn-boundary-sensitive', () => {
    assert.notEqual(transcriptKey('7', [u('A'), u('B')]), transcriptKey('7', [u('B'), u('A')]));
    assert.notEqual(transcriptKey('7', [u('AB')]), transcriptKey('7', [u('A'), u('B')]));
    assert.notEqual(transcriptKey('7', [u('Q')]), transcriptKey('7', [u('Q'), u('')]));
  });

  it('cannot be forged by text that imitates a turn boundary', () => {
    // One user turn whose text contains the internal separator must not collide with two turns.
    assert.notEqual(transcriptKey('7', [u('Q\u0001aA')]), transcriptKey('7', [u('Q'), a('A')]));
  });

  it('includes the persona: system and developer text change the key', () => {
    const plain = transcriptKey('7', [u('Q'), a('A')]);
    assert.notEqual(transcriptKey('7', [s('Be brief'), u('Q'), a('A')]), plain);
    assert.notEqual(transcriptKey('7', [d('English'), u('Q'), a('A')]), plain);
    assert.notEqual(
      transcriptKey('7', [s('Persona A'), u('Q'), a('A')]),
      transcriptKey('7', [s('Persona B'), u('Q'), a('A')]),
    );
  });

  it('the persona counts as its joined, trimmed text, wherever its turns sit', () => {
    assert.equal(
      transcriptKey('7', [s(' Be brief'), u('Q'), d('English '), a('A')]),
      transcriptKey('7', [s('Be brief'), d('English'), u('Q'), a('A')]),
    );
    assert.equal(transcriptKey('7', [s('  '), u('Q')]), transcriptKey('7', [u('Q')]));
  });

  it('a persona cannot imitate a turn, nor a turn a persona', () => {
    assert.notEqual(transcriptKey('7', [s('u1:Q'), u('A')]), transcriptKey('7', [u('Q'), u('A')]));
    assert.notEqual(transcriptKey('7', [u('Q')]), transcriptKey('7', [s('Q')]));
  });

  it('is project-sensitive', () => {
    assert.notEqual(transcriptKey('7', [u('Q')]), transcriptKey('8', [u('Q')]));
    assert.notEqual(transcriptKey('1', [u('Q')]), transcriptKey('12', [u('Q')]));
  });

  it('an empty transcript still depends on the project', () => {
    assert.notEqual(transcriptKey('7', []), transcriptKey('8', []));
    assert.notEqual(transcriptKey('7', [s('only system')]), transcriptKey('7', []));
  });
});

describe('SessionMemory', () => {
  const turns = [u('Q1'), a('A1')];

  it('finds what it remembered, per project and transcript', () => {
    const m = new SessionMemory();
    assert.equal(m.find('7', turns), undefined);
    m.remember('7', turns, 'session-1');
    assert.equal(m.find('7', turns), 'session-1');
    assert.equal(m.find('8', turns), undefined);
    assert.equal(m.find('7', [u('Q1'), a('A2')]), undefined);
    assert.equal(m.size, 1);
  });

  it('finds regardless of surrounding whitespace', () => {
    const m = new SessionMemory();
    m.remember('7', [s('persona'), ...turns], 'session-1');
    assert.equal(m.find('7', [s(' persona\n'), u(' Q1 '), a('A1\n')]), 'session-1');
  });

  it('the same turns under another persona (or none) are another transcript', () => {
    const m = new SessionMemory();
    m.remember('7', [s('Persona A'), ...turns], 'session-a');
    m.remember('7', [s('Persona B'), ...turns], 'session-b');
    assert.equal(m.find('7', [s('Persona A'), ...turns]), 'session-a');
    assert.equal(m.find('7', [s('Persona B'), ...turns]), 'session-b');
    assert.equal(m.find('7', turns), undefined);
  });

  it('remembering again replaces the session', () => {
    const m = new SessionMemory();
    m.remember('7', turns, 'session-1');
    m.remember('7', turns, 'session-2');
    assert.equal(m.find('7', turns), 'session-2');
    assert.equal(m.size, 1);
  });

  it('forget removes only that transcript', () => {
    const m = new SessionMemory();
    m.remember('7', turns, 'session-1');
    m.remember('7', [u('other')], 'session-2');
    m.forget('7', turns);
    assert.equal(m.find('7', turns), undefined);
    assert.equal(m.find('7', [u('other')]), 'session-2');
    assert.equal(m.size, 1);
    m.forget('7', [u('never remembered')]);
    assert.equal(m.size, 1);
  });

  it('is bounded: the least recently used transcript goes first', () => {
    const m = new SessionMemory(2);
    m.remember('7', [u('one')], 's1');
    m.remember('7', [u('two')], 's2');
    assert.equal(m.find('7', [u('one')]), 's1'); // one is now the most recent
    m.remember('7', [u('three')], 's3');
    assert.equal(m.size, 2);
    assert.equal(m.find('7', [u('two')]), undefined);
    assert.equal(m.find('7', [u('one')]), 's1');
    assert.equal(m.find('7', [u('three')]), 's3');
  });

  it('forgets after the TTL', () => {
    const c = clock();
    const m = new SessionMemory(10, 1000, c.now);
    m.remember('7', turns, 'session-1');
    c.advance(999);
    assert.equal(m.find('7', turns), 'session-1');
    c.advance(1);
    assert.equal(m.find('7', turns), undefined);
    assert.equal(m.size, 0);
  });

  it('defaults: 2000 entries', () => {
    const m = new SessionMemory();
    for (let i = 0; i < 2001; i++) m.remember('7', [u(`q${i}`)], `s${i}`);
    assert.equal(m.size, 2000);
    assert.equal(m.find('7', [u('q0')]), undefined);
    assert.equal(m.find('7', [u('q2000')]), 's2000');
  });

  it('defaults: six hours to live', () => {
    const c = clock();
    const m = new SessionMemory(undefined, undefined, c.now);
    m.remember('7', turns, 'x');
    c.advance(6 * 60 * 60 * 1000 - 1);
    assert.equal(m.find('7', turns), 'x');
    c.advance(1);
    assert.equal(m.find('7', turns), undefined);
  });
});

describe('foldTranscript', () => {
  it('is empty without user/assistant turns', () => {
    assert.equal(foldTranscript([]), '');
    assert.equal(foldTranscript([s('sys')]), '');
  });

  it('is the question itself when there is one turn (untrimmed)', () => {
    assert.equal(foldTranscript([s('sys'), u('  Just this?  ')]), '  Just this?  ');
  });

  it('folds earlier turns in the documented format', () => {
    assert.equal(
      foldTranscript([s('Be brief'), u(' Q1 '), a('A1\n'), d('dev'), u('Q2')]),
      '[Conversation so far]\nUser: Q1\nAssistant: A1\n\n[Current question]\nQ2',
    );
  });

  it('keeps multi-line turns and empty assistant turns', () => {
    assert.equal(
      foldTranscript([u('line 1\nline 2'), a(''), u('next')]),
      '[Conversation so far]\nUser: line 1\nline 2\nAssistant: \n\n[Current question]\nnext',
    );
  });
});

describe('foldTranscript bound', () => {
  const bytes = (t: string) => Buffer.byteLength(t, 'utf8');
  /** A chat of `n` earlier turn pairs (`Qi` / `Ai`, each `size` characters) and a question. */
  function chat(n: number, size: number, question = 'Current?'): ChatTurn[] {
    const turns: ChatTurn[] = [];
    for (let i = 0; i < n; i++) {
      turns.push(u(`Q${i} ${'q'.repeat(size)}`), a(`A${i} ${'a'.repeat(size)}`));
    }
    turns.push(u(question));
    return turns;
  }

  it(`defaults to ${MAX_FOLDED_PROMPT_BYTES} UTF-8 bytes`, () => {
    assert.equal(MAX_FOLDED_PROMPT_BYTES, 100_000);
    // A 3.8 MB history (what a long chat once sent upstream) folds to at most the bound.
    const prompt = foldTranscript(chat(1900, 1000));
    assert.ok(bytes(prompt) <= MAX_FOLDED_PROMPT_BYTES, `${bytes(prompt)} bytes`);
    assert.ok(bytes(prompt) > MAX_FOLDED_PROMPT_BYTES - 2100, 'fills the room it has');
  });

  it('keeps the newest turns, says how many earlier ones were left out', () => {
    const prompt = foldTranscript(chat(10, 100), 1000);
    assert.ok(bytes(prompt) <= 1000, `${bytes(prompt)} bytes`);
    const kept = prompt.match(/^(User|Assistant): /gm)?.length ?? 0;
    assert.ok(kept >= 2 && kept < 20, `kept ${kept}`);
    assert.ok(prompt.includes(`Assistant: A9 `), 'the newest earlier turn is kept');
    assert.ok(!prompt.includes('Q0 '), 'the oldest is left out');
    assert.match(
      prompt,
      new RegExp(
        `^\\[Conversation so far\\]\\n\\(${20 - kept} earlier turns were left out: the conversation is longer than the bridge sends\\.\\)\\n(User|Assistant): `,
      ),
    );
    assert.ok(prompt.endsWith('\n\n[Current question]\nCurrent?'));
    // No gap: what is kept is the newest run of turns, in order.
    const roles = prompt.match(/^(User|Assistant): [QA](\d+)/gm) ?? [];
    assert.equal(roles.at(-1), 'Assistant: A9');
  });

  it('no note when everything fits (the documented format is unchanged)', () => {
    assert.equal(
      foldTranscript([u('Q1'), a('A1'), u('Q2')], 100),
      '[Conversation so far]\nUser: Q1\nAssistant: A1\n\n[Current question]\nQ2',
    );
  });

  it('never cuts the current question, even beyond the bound', () => {
    const question = `Explain:\n${'x'.repeat(5000)}`;
    const prompt = foldTranscript([u('Q1'), a('A1'), u(question)], 1000);
    assert.ok(prompt.endsWith(`[Current question]\n${question}`));
    assert.match(prompt, /\(2 earlier turns were left out/);
    assert.ok(!prompt.includes('User: Q1'));
  });

  it('a single question beyond the bound goes as it is', () => {
    const question = 'y'.repeat(200_000);
    assert.equal(foldTranscript([s('sys'), u(question)]), question);
  });

  it('whole turns only: a newest turn that does not fit leaves out everything before it too', () => {
    const prompt = foldTranscript([u('Q1'), a('A1'), u('big'), a('z'.repeat(2000)), u('Q3')], 1000);
    assert.match(prompt, /\(4 earlier turns were left out/);
    assert.ok(!prompt.includes('User: Q1'), 'no older turn skips over the gap');
    assert.ok(!prompt.includes('zzz'));
  });

  it('counts UTF-8 bytes, not characters', () => {
    const cjk = '日'.repeat(300); // 900 bytes, 300 characters
    const prompt = foldTranscript([u(cjk), a('ok'), u('Q')], 800);
    assert.ok(!prompt.includes(cjk), 'a 300-character, 900-byte turn does not fit 800 bytes');
    assert.ok(prompt.includes('Assistant: ok'));
    assert.ok(bytes(prompt) <= 800);
  });

  it('one earlier turn left out: the note says so in the singular', () => {
    const prompt = foldTranscript([a('z'.repeat(2000)), u('Q')], 1000);
    assert.match(prompt, /\(1 earlier turn was left out/);
  });
});

describe('personaOf', () => {
  it('is undefined without system/developer text', () => {
    assert.equal(personaOf([]), undefined);
    assert.equal(personaOf([u('Q')]), undefined);
    assert.equal(personaOf([s('  '), d('\n')]), undefined);
  });

  it('is the one system message', () => {
    assert.equal(personaOf([s('You are helpful.'), u('Q')]), 'You are helpful.');
  });

  it('joins system and developer turns with a blank line, in order', () => {
    assert.equal(
      personaOf([s('One.'), u('Q'), d('Two.'), a('A'), s('Three.')]),
      'One.\n\nTwo.\n\nThree.',
    );
  });
});

describe('LruTtl', () => {
  it('gets what was set; misses are undefined', () => {
    const m = new LruTtl<string, number>(3, 1000);
    m.set('a', 1);
    assert.equal(m.get('a'), 1);
    assert.equal(m.get('b'), undefined);
    assert.equal(m.size, 1);
  });

  it('evicts the least recently set when over the bound', () => {
    const m = new LruTtl<string, number>(2, 1000);
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    assert.deepEqual([m.get('a'), m.get('b'), m.get('c'), m.size], [undefined, 2, 3, 2]);
  });

  it('get refreshes recency', () => {
    const m = new LruTtl<string, number>(2, 1000);
    m.set('a', 1);
    m.set('b', 2);
    m.get('a');
    m.set('c', 3);
    assert.deepEqual([m.get('a'), m.get('b'), m.get('c')], [1, undefined, 3]);
  });

  it('set of an existing key refreshes recency and value without growing', () => {
    const m = new LruTtl<string, number>(2, 1000);
    m.set('a', 1);
    m.set('b', 2);
    m.set('a', 10);
    m.set('c', 3);
    assert.deepEqual([m.get('a'), m.get('b'), m.get('c'), m.size], [10, undefined, 3, 2]);
  });

  it('expires exactly at the TTL, and the expired entry is removed', () => {
    const c = clock();
    const m = new LruTtl<string, number>(5, 100, c.now);
    m.set('a', 1);
    c.advance(99);
    assert.equal(m.get('a'), 1);
    c.advance(1);
    assert.equal(m.get('a'), undefined);
    assert.equal(m.size, 0);
  });

  it('get does not extend the TTL; set does', () => {
    const c = clock();
    const m = new LruTtl<string, number>(5, 100, c.now);
    m.set('a', 1);
    m.set('b', 2);
    c.advance(60);
    assert.equal(m.get('a'), 1);
    m.set('b', 20);
    c.advance(40);
    assert.equal(m.get('a'), undefined);
    assert.equal(m.get('b'), 20);
  });

  it('delete removes; deleting a missing key is harmless', () => {
    const m = new LruTtl<string, number>(5, 100);
    m.set('a', 1);
    m.delete('a');
    m.delete('zzz');
    assert.deepEqual([m.get('a'), m.size], [undefined, 0]);
  });

  it('a bound of 1 keeps only the latest', () => {
    const m = new LruTtl<number, string>(1, 100);
    for (let i = 0; i < 5; i++) m.set(i, `v${i}`);
    assert.deepEqual([m.size, m.get(4), m.get(3)], [1, 'v4', undefined]);
  });

  it('stores falsy values faithfully', () => {
    const m = new LruTtl<string, unknown>(5, 100);
    m.set('zero', 0);
    m.set('empty', '');
    m.set('null', null);
    assert.deepEqual([m.get('zero'), m.get('empty'), m.get('null')], [0, '', null]);
  });
});
