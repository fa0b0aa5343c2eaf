/**
 * Start-up screen of the inspector: what is being opened and which step runs (reading the files,
 * loading the model), shown from the first frame until the app is ready; a failed load ends the app
 * and hands the error to the caller (printed as a normal CLI error, outside the alternate screen).
 */
import { useEffect, useState } from 'react';
import { Box, Text, useApp } from 'ink';
import { InspectApp, type InspectAppProps } from './App.js';

export type InspectLoader = (step: (what: string) => void) => Promise<InspectAppProps>;

export function Startup({ fitsPath, step, elapsedS }: { fitsPath: string; step: string; elapsedS?: number }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} alignSelf="flex-start">
      <Text bold>jartcal inspect · starting</Text>
      <Text>opening {fitsPath}</Text>
      <Text color="yellow">
        {step}…{elapsedS !== undefined && elapsedS >= 1 ? ` ${elapsedS} s` : ''}
      </Text>
      <Text dimColor>Ctrl-C quits</Text>
    </Box>
  );
}

export function InspectRoot({ fitsPath, load, onError }: { fitsPath: string; load: InspectLoader; onError: (e: unknown) => void }) {
  const { exit } = useApp();
  const [props, setProps] = useState<InspectAppProps | null>(null);
  const [step, setStep] = useState('reading the files');
  const [t0] = useState(() => Date.now());
  const [, setTick] = useState(0);
  useEffect(() => {
    if (props) return;
    const t = setInterval(() => setTick((x) => x + 1), 500);
    return () => clearInterval(t);
  }, [props]);
  useEffect(() => {
    let alive = true;
    // Let Ink draw the start-up frame before the (synchronous) file reading starts.
    const timer = setTimeout(() => {
      load((what) => {
        if (alive) setStep(what);
      }).then(
        (p) => {
          if (alive) setProps(p);
        },
        (e: unknown) => {
          if (alive) {
            onError(e);
            exit();
          }
        },
      );
    }, 30);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, []);
  return props ? <InspectApp {...props} /> : <Startup fitsPath={fitsPath} step={step} elapsedS={Math.floor((Date.now() - t0) / 1000)} />;
}
