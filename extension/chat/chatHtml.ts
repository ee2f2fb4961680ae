// The chat webview's page. Strict CSP: nothing loads from anywhere; only the one inline style and
// script carrying this page's nonce run. Answers arrive as HTML already rendered (and sanitized)
// by markdown-it in the extension host; questions and errors are inserted as text.
// Class names `answer`, `sources`, `error`, `intro`, `example`, `quote` and `error-action` are
// part of the contract with the e2e tests.

export interface ChatPageOptions {
  nonce: string;
  /** webview.cspSource; unused today (no local resources), kept for fonts or icons later. */
  cspSource: string;
}

const STYLE = `
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size);
    color: var(--vscode-foreground); padding: 0 12px 12px; margin: 0;
    display: flex; flex-direction: column; height: 100vh; box-sizing: border-box; }
  #log { flex: 1; overflow-y: auto; padding-top: 8px; }
  .turn { border-bottom: 1px solid var(--vscode-panel-border); padding: 8px 0; }
  .question { white-space: pre-wrap; font-weight: 600; margin-bottom: 6px; }
  .quote { margin: 0 0 8px; padding: 4px 8px; border-left: 3px solid var(--vscode-textBlockQuote-border);
    background: var(--vscode-textBlockQuote-background); }
  .quote-ref { font-size: 0.9em; opacity: 0.8; margin-bottom: 2px; }
  .quote pre { margin: 0; font-family: var(--vscode-editor-font-family); font-size: 0.9em;
    white-space: pre; overflow-x: auto; }
  .intro { padding: 12px 0; }
  .intro h2 { font-size: 1.2em; margin: 0 0 8px; }
  .intro .demo { margin: 0 0 10px; padding: 6px 8px; border-left: 3px solid var(--vscode-editorInfo-foreground);
    background: var(--vscode-textBlockQuote-background); }
  .intro .hint { opacity: 0.8; margin-bottom: 6px; }
  .examples { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; }
  button.example { text-align: left; }
  .error-actions { display: flex; gap: 6px; margin-top: 6px; }
  .answer { line-height: 1.5; overflow-wrap: anywhere; }
  .answer.pending:empty::after { content: 'Thinking…'; opacity: 0.7; }
  .answer pre { background: var(--vscode-textCodeBlock-background); padding: 8px; overflow-x: auto; }
  .answer code { font-family: var(--vscode-editor-font-family); }
  .sources-title { margin-top: 8px; font-weight: 600; }
  .sources { margin: 4px 0 0; padding-left: 20px; }
  .error { margin-top: 6px; padding: 6px 8px; border-left: 3px solid var(--vscode-errorForeground);
    color: var(--vscode-errorForeground); background: var(--vscode-inputValidation-errorBackground); }
  .note { margin-top: 6px; opacity: 0.7; font-style: italic; }
  a { color: var(--vscode-textLink-foreground); }
  form { display: flex; flex-direction: column; gap: 6px; padding-top: 8px; }
  textarea { width: 100%; box-sizing: border-box; resize: vertical; font: inherit;
    color: var(--vscode-input-foreground); background: var(--vscode-input-background);
    border: 1px solid var(--vscode-input-border, transparent); padding: 6px; }
  .buttons { display: flex; gap: 6px; }
  button { color: var(--vscode-button-foreground); background: var(--vscode-button-background);
    border: none; padding: 4px 12px; cursor: pointer; }
  button.secondary { color: var(--vscode-button-secondaryForeground);
    background: var(--vscode-button-secondaryBackground); }
  button:disabled { opacity: 0.5; cursor: default; }
`;

// Plain browser JavaScript (no bundling in the webview). Messages from the host:
// intro{title,questions,demoNote} question{text,reference,quote} answer{html} sources{html}
// error{message,actions[{id,label}]} done{stopped} reset.
const SCRIPT = `
  const vscode = acquireVsCodeApi();
  const log = document.getElementById('log');
  const intro = document.getElementById('intro');
  const FIRST_PLACEHOLDER = 'Ask a question (Enter to send, Shift+Enter for a new line)';
  const FOLLOW_UP_PLACEHOLDER = 'Ask a follow-up (Enter to send, Shift+Enter for a new line)';
  const form = document.getElementById('composer');
  const input = document.getElementById('input');
  const send = document.getElementById('send');
  const stop = document.getElementById('stop');
  const newChat = document.getElementById('new');
  let current = null;
  let busy = false;

  function setBusy(value) {
    busy = value;
    send.disabled = value;
    stop.hidden = !value;
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function append(parent, className, text) {
    const el = document.createElement('div');
    el.className = className;
    if (text !== undefined) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function button(parent, className, label, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = label;
    b.addEventListener('click', onClick);
    parent.appendChild(b);
    return b;
  }
  function showIntro(m) {
    intro.replaceChildren();
    const title = document.createElement('h2');
    title.textContent = m.title;
    intro.appendChild(title);
    if (m.demoNote) append(intro, 'demo', m.demoNote);
    if (m.questions && m.questions.length > 0) {
      append(intro, 'hint', 'Try one of these questions:');
      const list = append(intro, 'examples');
      for (const q of m.questions) {
        button(list, 'example secondary', q, () => {
          if (!busy) vscode.postMessage({ type: 'ask', text: q });
        });
      }
    }
    intro.hidden = log.children.length > 0;
    if (!intro.hidden) input.placeholder = FIRST_PLACEHOLDER;
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    switch (m.type) {
      case 'intro':
        showIntro(m);
        break;
      case 'question': {
        intro.hidden = true;
        input.placeholder = FOLLOW_UP_PLACEHOLDER;
        const turn = append(log, 'turn');
        append(turn, 'question', m.text);
        if (m.quote || m.reference) {
          const quote = append(turn, 'quote');
          if (m.reference) append(quote, 'quote-ref', m.reference);
          if (m.quote) {
            const pre = document.createElement('pre');
            pre.textContent = m.quote;
            quote.appendChild(pre);
          }
        }
        const answer = append(turn, 'answer pending');
        current = { turn, answer };
        setBusy(true);
        break;
      }
      case 'answer':
        if (current) current.answer.innerHTML = m.html;
        break;
      case 'sources':
        if (current) { const box = append(current.turn, 'sources-box'); box.innerHTML = m.html; }
        break;
      case 'error': {
        const box = append(current ? current.turn : log, 'error', m.message);
        if (m.actions && m.actions.length > 0) {
          const row = append(box, 'error-actions');
          for (const a of m.actions) {
            const b = button(row, 'error-action secondary', a.label, () => {
              if (busy) return;
              b.disabled = true;
              vscode.postMessage({ type: 'action', action: a.id });
            });
          }
        }
        break;
      }
      case 'note':
        append(current ? current.turn : log, 'note', m.text);
        break;
      case 'done':
        if (current) {
          current.answer.classList.remove('pending');
          if (m.stopped) append(current.turn, 'note', 'Stopped.');
        }
        setBusy(false);
        input.focus();
        break;
      case 'reset':
        log.replaceChildren();
        intro.hidden = false;
        current = null;
        setBusy(false);
        break;
    }
    scrollDown();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    input.value = '';
    vscode.postMessage({ type: 'ask', text });
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  stop.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
  newChat.addEventListener('click', () => vscode.postMessage({ type: 'newChat' }));
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a') : null;
    if (!link) return;
    event.preventDefault();
    vscode.postMessage({ type: 'openLink', href: link.getAttribute('href') });
  });
  vscode.postMessage({ type: 'ready' });
`;

export function chatPageHtml(options: ChatPageOptions): string {
  const { nonce } = options;
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CustomGPT Chat</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<section id="intro" class="intro"></section>
<main id="log" aria-live="polite"></main>
<form id="composer">
  <textarea id="input" rows="3" aria-label="Question"
    placeholder="Ask a follow-up (Enter to send, Shift+Enter for a new line)"></textarea>
  <div class="buttons">
    <button type="submit" id="send">Send</button>
    <button type="button" id="stop" class="secondary" hidden>Stop</button>
    <button type="button" id="new" class="secondary">New Chat</button>
  </div>
</form>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}
