// The Connection section: paste a Close API key (checked by the server with GET /me/), see who is
// connected, disconnect. The connection itself is shared (sidebar-state.ts): every other section follows
// it.
import { busyLine, fill, h, messageOf, section, setBusy, show } from '../dom';
import { call } from '../server-calls';
import type { SidebarState } from '../sidebar-state';

export interface ConnectionHost {
  /** The rep just connected: focus moves on to the next step (the Pull button). */
  connected(): void;
  /** The rep just disconnected: sections drop what they showed for the old key. */
  disconnected(): void;
  /** Where an error of Disconnect is shown (it happens while the rep looks at the push). */
  showError(message: string): void;
}

export function mountConnection(app: HTMLElement, state: SidebarState, host: ConnectionHost) {
  const checking = h(
    'p',
    { id: 'connection-checking', className: 'status' },
    ...busyLine('Checking the connection…'),
  );
  const apiKey = h('input', {
    id: 'api-key',
    attrs: {
      name: 'api-key',
      type: 'password',
      autocomplete: 'off',
      spellcheck: 'false',
      autocapitalize: 'off',
      placeholder: 'api_…',
      'aria-describedby': 'api-key-help api-key-error',
    },
  });
  const keyError = h('p', {
    id: 'api-key-error',
    className: 'error',
    attrs: { role: 'alert', hidden: true },
  });
  const connect = h('button', { id: 'connect', className: 'primary', attrs: { type: 'submit' } }, 'Connect');
  const form = h(
    'form',
    { id: 'connect-form', className: 'stack', attrs: { novalidate: true, hidden: true } },
    h('label', { attrs: { for: 'api-key' } }, 'API key'),
    apiKey,
    h('p', { id: 'api-key-help', className: 'hint' }, 'In Close: Settings → Developer → API Keys.'),
    keyError,
    h('div', { className: 'buttons' }, connect),
  );
  const connectedAs = h('p', { id: 'connected-as', className: 'connected-as' });
  const connectedEmail = h('p', { id: 'connected-email', className: 'hint' });
  const disconnect = h(
    'button',
    { id: 'disconnect', className: 'secondary', attrs: { type: 'button' } },
    'Disconnect',
  );
  const connectedBox = h(
    'div',
    { id: 'connected', className: 'stack', attrs: { hidden: true } },
    connectedAs,
    connectedEmail,
    h('div', { className: 'buttons' }, disconnect),
  );
  const status = h('p', {
    id: 'connection-status',
    className: 'visually-hidden',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  const root = section('connection', 'Close account', checking, form, connectedBox, status);
  app.appendChild(root);

  function showKeyError(text: string): void {
    keyError.textContent = text;
    show(keyError, text !== '');
    if (text) apiKey.setAttribute('aria-invalid', 'true');
    else apiKey.removeAttribute('aria-invalid');
  }

  function render(): void {
    const c = state.connection;
    show(form, !!c && !c.connected);
    show(connectedBox, !!c && c.connected);
    if (c?.connected) {
      const org = c.organization ? ` · ${c.organization}` : '';
      fill(connectedAs, 'Connected as ', h('strong', {}, c.user || c.email || 'you'), org);
      fill(connectedEmail, c.email && c.user ? c.email : '');
      show(connectedEmail, !!(c.email && c.user));
    }
  }

  function update(): void {
    const busy = state.busy();
    connect.disabled = busy;
    apiKey.readOnly = state.action === 'connect';
    disconnect.disabled = busy;
    setBusy(root, state.action === 'connect' || state.action === 'disconnect' || state.connection === null);
  }

  async function onConnect(event: Event): Promise<void> {
    event.preventDefault();
    if (state.action) return;
    const key = apiKey.value.trim();
    if (!key) {
      showKeyError('Paste your Close API key first.');
      apiKey.focus();
      return;
    }
    showKeyError('');
    await state.run('connect', async () => {
      connect.textContent = 'Connecting…';
      try {
        const connection = await call('saveApiKey', key);
        apiKey.value = '';
        state.setConnection(connection);
        status.textContent = connectedAs.textContent ?? 'Connected';
      } catch (e) {
        showKeyError(messageOf(e));
      } finally {
        connect.textContent = 'Connect';
      }
    });
    // Focus after the controls are enabled again.
    if (state.connected()) host.connected();
    else {
      apiKey.focus();
      apiKey.select();
    }
  }

  async function onDisconnect(): Promise<void> {
    await state.run('disconnect', async () => {
      disconnect.textContent = 'Disconnecting…';
      try {
        const connection = await call('disconnect');
        host.disconnected();
        state.setConnection(connection);
        status.textContent = 'Disconnected from Close.';
      } catch (e) {
        status.textContent = '';
        host.showError(messageOf(e));
      } finally {
        disconnect.textContent = 'Disconnect';
      }
    });
    if (!state.connected()) apiKey.focus();
  }

  form.addEventListener('submit', (e) => void onConnect(e));
  apiKey.addEventListener('input', () => {
    if (!keyError.hidden) showKeyError('');
  });
  disconnect.addEventListener('click', () => void onDisconnect());
  state.onChange(() => {
    render();
    update();
  });
  update();

  return {
    /** Asks the server who is connected (the sidebar's first call). */
    async start(): Promise<void> {
      let connection: Parameters<SidebarState['setConnection']>[0];
      try {
        connection = await call('getConnection');
        status.textContent = connection.connected ? '' : 'Not connected to Close.';
      } catch (e) {
        connection = { connected: false };
        showKeyError(messageOf(e));
      }
      show(checking, false);
      state.setConnection(connection);
    },
  };
}
