import * as assert from 'node:assert/strict';
import { projectModelId } from '../../../bridge/models/ids';
import { toolSnippets } from '../../../extension/toolSnippets';

const URL = 'http://127.0.0.1:9123/v1';
const TOKEN = 'tok_abcdefghijklmnop';

describe('tool snippets', () => {
  const snippets = toolSnippets(URL, TOKEN);
  const byId = (id: string) => {
    const snippet = snippets.find((s) => s.id === id);
    assert.ok(snippet, id);
    return snippet;
  };

  it('covers Continue, Cline, Roo Code, Copilot Chat and Zed', () => {
    assert.deepEqual(
      snippets.map((s) => s.id),
      ['continue', 'cline', 'roo', 'copilot', 'zed'],
    );
  });

  it('puts the real base URL in every snippet', () => {
    for (const snippet of snippets) assert.ok(snippet.text.includes(URL), snippet.id);
  });

  it('puts the token where the tool takes a key', () => {
    assert.match(byId('continue').text, new RegExp(`apiKey: ${TOKEN}`));
    assert.match(byId('cline').text, new RegExp(`API Key: ${TOKEN}`));
    assert.match(byId('roo').text, new RegExp(`API Key: ${TOKEN}`));
    assert.ok(byId('copilot').text.includes(TOKEN));
    assert.ok(byId('zed').text.includes(TOKEN));
  });

  it('gives valid JSON for Copilot and Zed once the comment lines are removed', () => {
    for (const id of ['copilot', 'zed']) {
      const json = byId(id)
        .text.split('\n')
        .filter((line) => !line.startsWith('//'))
        .join('\n');
      assert.doesNotThrow(() => JSON.parse(json), id);
    }
    const zed = JSON.parse(
      byId('zed')
        .text.split('\n')
        .filter((l) => !l.startsWith('//'))
        .join('\n'),
    );
    const provider = zed.language_models.openai_compatible['customgpt-bridge'];
    assert.equal(provider.api_url, URL);
    assert.equal(provider.available_models[0].capabilities.tools, false);
  });

  it('gives Continue a YAML model entry with the openai provider', () => {
    const text = byId('continue').text;
    assert.match(text, /provider: openai/);
    assert.match(text, new RegExp(`apiBase: ${URL.replace(/[/.]/g, '\\$&')}`));
  });
});

describe('tool snippets with a project chosen', () => {
  it("name the project's model id (customgpt-<id>) wherever a tool takes a model", () => {
    const chosen = toolSnippets(URL, TOKEN, projectModelId('1002'));
    const plain = toolSnippets(URL, TOKEN);
    for (const [i, snippet] of chosen.entries()) {
      // Every place the default id stood now holds the project's id, and nothing else changed.
      assert.ok(snippet.text.includes('customgpt-1002'), snippet.id);
      const expected = plain[i]!.text.replace(/(: |")customgpt(\n|")/g, '$1customgpt-1002$2');
      assert.equal(snippet.text, expected, snippet.id);
    }
  });
});
