/** Runs the inspector full-screen (alternate screen buffer) until the user quits. */
import { render } from 'ink';
import { InspectApp, type InspectAppProps } from './App.js';
import { InspectRoot, type InspectLoader } from './Startup.js';

type Io = { stdout?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream };

/**
 * `props`: a loaded app; or `{ fitsPath, load }`: the start-up screen (labelled steps) while `load`
 * reads the files and the model, then the app. A load error is thrown here, after the screen is restored.
 */
export async function runInspector(props: InspectAppProps | { fitsPath: string; load: InspectLoader }, io: Io = {}): Promise<void> {
  const stdout = io.stdout ?? process.stdout;
  let failure: { e: unknown } | null = null;
  stdout.write('\x1b[?1049h\x1b[H');
  try {
    const el =
      'load' in props ? (
        <InspectRoot
          fitsPath={props.fitsPath}
          load={props.load}
          onError={(e) => {
            failure = { e };
          }}
        />
      ) : (
        <InspectApp {...props} />
      );
    const app = render(el, { stdout, stdin: io.stdin ?? process.stdin, exitOnCtrlC: true, patchConsole: true });
    await app.waitUntilExit();
  } finally {
    stdout.write('\x1b[?1049l');
  }
  if (failure) throw (failure as { e: unknown }).e;
}
