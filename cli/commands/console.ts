import { type Command, UsageError } from '../command.js';
import { parseOptions, stringOption } from '../parse-options.js';
import { connectEditor, EDITOR_OPTIONS, EDITOR_OPTIONS_HELP } from '../remote/connect-editor.js';
import { startConsoleProxy } from '../remote/console-proxy.js';
import { EditorApiError } from '../remote/remote-errors.js';

export const consoleCommand: Command = {
  name: 'console',
  help: `Usage: gazette console [--stage NAME] [--port N] [where]

Locally (while \`npm start\` runs): prints the console's sign-in link, which holds the local
editor token. Open it in your browser.

With --stage: the stage's editor routes accept only requests signed with AWS SigV4, which a
browser cannot make. This starts a small proxy on 127.0.0.1 that signs every request with your
AWS credentials and forwards it to the stage; it prints a sign-in link for your browser (it
lets in only the browser that opened it). Ctrl-C stops it.

Options:
  --port N    the proxy's port on 127.0.0.1 (default: 8787; 0 = any free port)

${EDITOR_OPTIONS_HELP}`,

  async run(args, io) {
    const { values } = parseOptions('console', args, { ...EDITOR_OPTIONS, port: { type: 'string' } });
    const portText = stringOption(values, 'port', '8787');
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65_535) {
      throw new UsageError(`--port must be a TCP port from 0 to 65535, not "${portText}"`, 'console');
    }
    const target = await connectEditor('console', values, io);
    if (target.kind === 'local') {
      if (values.port !== undefined)
        throw new UsageError(
          '--port goes with --stage: locally the console is served by `npm start`',
          'console',
        );
      io.stdout(
        `Editors' console of the local stack (the link signs you in; keep it to yourself):\n  ${target.baseUrl}editor?token=${encodeURIComponent(target.token)}`,
      );
      return 0;
    }
    let proxy: Awaited<ReturnType<typeof startConsoleProxy>>;
    try {
      proxy = await startConsoleProxy({ target: target.baseUrl, sign: target.sign, port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new EditorApiError(
          `port ${port} on 127.0.0.1 is in use: pass another with --port (0 = any free port)`,
          { cause: error },
        );
      }
      throw error;
    }
    io.stdout(
      [
        `Editors' console of stage '${target.stage}' (${target.baseUrl}), signed with your AWS credentials.`,
        'Open this link in your browser (it signs this browser in; keep it to yourself):',
        `  ${proxy.signInUrl}`,
        'Press Ctrl-C to stop.',
      ].join('\n'),
    );
    await io.interrupted;
    await proxy.close();
    io.stdout('stopped.');
    return 0;
  },
};
