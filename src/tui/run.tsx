/** Runs the inspector full-screen (alternate screen buffer) until the user quits. */
import { render } from 'ink';
import { InspectApp, type InspectAppProps } from './App.js';

export async function runInspector(props: InspectAppProps, io: { stdout?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream } = {}): Promise<void> {
  const stdout = io.stdout ?? process.stdout;
  stdout.write('\x1b[?1049h\x1b[H');
  try {
    const app = render(<InspectApp {...props} />, { stdout, stdin: io.stdin ?? process.stdin, exitOnCtrlC: true, patchConsole: true });
    await app.waitUntilExit();
  } finally {
    stdout.write('\x1b[?1049l');
  }
}
