import * as assert from 'node:assert/strict';
import { projectModelId } from '../../../../bridge/models/ids';
import { toolSnippets } from '../../../../extension/tools/toolSnippets';

const URL = 'http://127.0.0.1:9123/v1';
const TOKEN = 'tok_abcdefghijklmnop';

describe('tool snippets', () => {
  const snippets = toolSnippets(URL, TOKEN);
  const byId = (id: string) => {
    const snippet = snippets.find((s) => s.id === id);
    assert.ok(snippet, id);
    return snippet;
  };

  it('covers Continue (new file and existing one), Cline, Roo Code, Copilot Chat and Zed', () => {
    assert.deepEqual(
      snippets.map((s) => s.id),
      ['continue-new', 'continue-existing', 'cline', 'roo', 'copilot', 'zed'],
    );
  });

  it('puts the real base URL in every snippet', () => {
    for (const snippet of snippets) assert.ok(snippet.text.includes(URL), snippet.id);
  });

  it('puts the token where the tool takes a key', () => {
    assert.match(byId('continue-new').text, new RegExp(`apiKey: ${TOKEN}`));
    assert.match(byId('continue-existing').text, new RegExp(`apiKey: ${TOKEN}`));
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

  it('gives Continue a complete new config.yaml: name, version, schema v1, then models (issue 9.8)', () => {
    const lines = byId('continue-new')
      .text.split('\n')
      .filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(lines.slice(0, 4), [
      'name: CustomGPT.ai',
      'version: 1.0.0',
      'schema: v1',
      'models:',
    ]);
    assert.ok(lines.includes('    provider: openai'));
    assert.ok(lines.includes(`    apiBase: ${URL}`));
    assert.match(byId('continue-new').where, /whole file/);
  });

  it('gives an existing Continue config only the list entry, and says so (issue 9.8)', () => {
    const snippet = byId('continue-existing');
    const lines = snippet.text.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '  - name: CustomGPT.ai', 'starts with the entry, not "models:"');
    assert.ok(!lines.includes('models:'));
    assert.match(snippet.where, /inside its existing "models:" list/);
  });

  it('tells Cline and Roo Code users how tool definitions are answered', () => {
    for (const id of ['cline', 'roo']) assert.match(byId(id).text, /customgpt\.onUnsupported/);
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
