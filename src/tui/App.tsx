/**
 * The inspector app: cycle list | selected cycle (I-V plot, residuals) | parameter table, or the
 * population pane; help overlay; refit and save through injected functions. Key handling is the
 * pure `handleKey` of state.ts; this component runs its effects and follows terminal resizes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { CycleList } from './CycleList.js';
import { CycleDetail } from './CycleDetail.js';
import { ParamTable, paramOrder } from './ParamTable.js';
import { PopulationView } from './PopulationView.js';
import { HelpOverlay } from './HelpOverlay.js';
import { handleKey, initialState, splitKeys, visibleRows, type KeyInfo, type UiState } from './state.js';
import type { ParamBounds } from './format.js';
import {
  cycleKey,
  indexDataset,
  type CycleFitView,
  type DatasetView,
  type FitsFileView,
  type PopulationView as Pop,
} from '../inspect/schema.js';
import { cycleRows, type CurveModel } from '../inspect/quality.js';
import { buildRequest, replaceCycleFit, type Refitter } from '../inspect/refit.js';

export interface InspectAppProps {
  fits: FitsFileView;
  fitsPath: string;
  dataset: DatasetView | null;
  population: Pop | null;
  paramTable: readonly ParamBounds[];
  /** Model current at the measured points for a parameter set (null: no model curve shown). */
  model: CurveModel | null;
  refitter: Refitter | null;
  /** Writes the updated fits file (atomically); throws on failure. */
  save: (fits: FitsFileView) => void | Promise<void>;
  /** Terminal size override (tests); otherwise the stdout's size, followed on resize. */
  size?: { columns: number; rows: number };
  notes?: string[];
}

function useTerminalSize(override?: { columns: number; rows: number }): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = (): { columns: number; rows: number } => override ?? { columns: stdout.columns || 100, rows: stdout.rows || 30 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (override) {
      setSize(override);
      return;
    }
    const on = (): void => setSize(read());
    stdout.on('resize', on);
    return () => {
      stdout.off('resize', on);
    };
  }, [stdout, override?.columns, override?.rows]);
  return size;
}

export function InspectApp(props: InspectAppProps) {
  const { exit } = useApp();
  const size = useTerminalSize(props.size);
  const [state, setState] = useState<UiState>(() => initialState(props.fits));
  const stateRef = useRef(state);
  stateRef.current = state;
  const byKey = useMemo(() => indexDataset(props.dataset), [props.dataset]);
  const bounds = useMemo(() => new Map(props.paramTable.map((b) => [b.name, b])), [props.paramTable]);
  const popNames = useMemo(() => (props.population ? Object.keys(props.population.parameters) : []), [props.population]);
  const fit = state.fits.cycles[state.selected];
  const data = fit ? (byKey.get(cycleKey(fit.device, fit.cycle)) ?? null) : null;
  const deviceOf = (f: { device: string }) => state.fits.devices.find((d) => d.device === f.device) ?? null;
  const device = fit ? deviceOf(fit) : null;
  const names = useMemo(() => (fit ? paramOrder(fit, props.paramTable, device) : []), [fit, props.paramTable, device]);
  const result = state.refit && state.refit.index === state.selected && state.refit.status === 'done' ? (state.refit.result ?? null) : null;
  const modelA = useMemo(
    () => (fit && data && props.model ? props.model(fit.params, data, { fit, settings: state.fits.settings }) : null),
    [fit, data, props.model, state.fits.settings],
  );
  const newModelA = useMemo(
    () => (result && data && props.model ? props.model(result.params, data, { fit: result, settings: state.fits.settings }) : null),
    [result, data, props.model, state.fits.settings],
  );

  const abortRef = useRef<AbortController | null>(null);
  const [startedAt, setStartedAt] = useState(0);
  const [, setTick] = useState(0);
  const running = state.refit?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setTick((x) => x + 1), 500);
    return () => clearInterval(t);
  }, [running]);
  useEffect(() => () => abortRef.current?.abort(), []);

  const runEffect = (eff: NonNullable<ReturnType<typeof handleKey>['effect']>): void => {
    if (eff.kind === 'quit') {
      abortRef.current?.abort();
      exit();
      return;
    }
    if (eff.kind === 'cancel') {
      abortRef.current?.abort();
      return;
    }
    if (eff.kind === 'refit') {
      const s = stateRef.current;
      const f = s.fits.cycles[eff.index];
      const d = byKey.get(cycleKey(f.device, f.cycle)) ?? null;
      if (!props.refitter) {
        setState((st) => ({
          ...st,
          refit: { index: eff.index, status: 'error', error: 'no refitter available' },
          message: 'refit unavailable: the fit stage is not wired in this build',
        }));
        return;
      }
      const req = buildRequest(f, d, eff.free, s.fits.settings);
      const refitter = props.refitter;
      const ac = new AbortController();
      abortRef.current = ac;
      setStartedAt(Date.now());
      // Let Ink draw "refitting…" first (an in-thread refitter blocks while it works). An Esc in that
      // moment has already aborted the signal, which a refitter would never hear of: cancel here.
      new Promise((r) => setTimeout(r, 40))
        .then(() => {
          if (ac.signal.aborted) throw new Error('cancelled');
          return refitter.refit(req, ac.signal);
        })
        .then(
          (r) =>
            setState((st) => ({
              ...st,
              refit: { index: eff.index, status: 'done', result: r },
              message: `refit done: RMS ${f.rmsLog10.toFixed(3)} → ${r.rmsLog10.toFixed(3)} dec · s to save, Esc to discard`,
            })),
          (e: unknown) =>
            setState((st) =>
              ac.signal.aborted
                ? { ...st, refit: null, message: 'refit cancelled' }
                : {
                    ...st,
                    refit: { index: eff.index, status: 'error', error: String(e) },
                    message: `refit failed: ${e instanceof Error ? e.message : String(e)}`,
                  },
            ),
        );
      return;
    }
    if (eff.kind === 'save') {
      const s = stateRef.current;
      const next = replaceCycleFit(s.fits, eff.index, eff.fit);
      Promise.resolve(props.save(next)).then(
        () =>
          setState((st) => ({
            ...st,
            fits: next,
            refit: null,
            free: eff.fit.fitted.slice(),
            message: `saved ${eff.fit.device}#${eff.fit.cycle} to ${props.fitsPath}`,
          })),
        (e: unknown) => setState((st) => ({ ...st, message: `save failed: ${e instanceof Error ? e.message : String(e)}` })),
      );
    }
  };

  const bodyH = Math.max(10, size.rows - 3);
  useInput((input, key) => {
    const ctx = {
      paramNames: (f: CycleFitView) =>
        paramOrder(
          f,
          props.paramTable,
          stateRef.current.fits.devices.find((d) => d.device === f.device),
        ),
      popNames,
      pageSize: Math.max(1, bodyH - 4),
    };
    for (const [ch, k] of splitKeys(input, key as KeyInfo)) {
      const { state: next, effect } = handleKey(stateRef.current, ch, k, ctx);
      stateRef.current = next;
      setState(next);
      if (effect) runEffect(effect);
      if (effect?.kind === 'quit') break;
    }
  });

  const rows = visibleRows(state);
  const badTotal = useMemo(() => cycleRows(state.fits).filter((r) => r.bad).length, [state.fits]);
  const badShown = rows.filter((r) => r.bad).length;
  // Only what tells something: how many fits are bad, and how many of them the filter hides.
  const badNote =
    badTotal === 0 ? '' : state.badOnly || badShown === badTotal ? `${badTotal} bad` : `${badTotal} bad (${badShown} in the list)`;
  const helpW = Math.min(size.columns - 2, 92);
  const listW = Math.max(26, Math.min(34, Math.floor(size.columns * 0.28)));
  const rightW = Math.max(30, size.columns - listW - 1);
  const wide = rightW >= 100;
  const tableW = wide ? Math.min(74, Math.max(62, Math.floor(rightW * 0.45))) : rightW;
  const plotW = wide ? rightW - tableW - 1 : rightW;
  const tableH = wide ? bodyH : Math.max(8, Math.min(names.length + 5, Math.floor(bodyH * 0.3)));
  const plotH = wide ? bodyH : bodyH - tableH;
  const elapsed = running ? ` ${Math.floor((Date.now() - startedAt) / 1000)} s` : '';
  const statusLine = (state.message ? state.message + elapsed : '') || (state.refit?.status === 'error' ? (state.refit.error ?? '') : '');
  const runningNote = state.refit?.status === 'running' && state.refit.index === state.selected ? 'refitting…' : undefined;

  return (
    <Box flexDirection="column" width={size.columns} height={size.rows - 1}>
      <Text wrap="truncate" bold>
        jartcal inspect · {props.fitsPath} · {state.fits.cycles.length} cycles{badNote ? ' · ' : ''}
        <Text color="red">{badNote}</Text> · ? help · q quit
      </Text>
      <Box flexDirection="row" height={bodyH}>
        <CycleList
          rows={rows}
          selected={state.selected}
          height={bodyH}
          width={listW}
          focused={state.focus === 'list'}
          sort={state.sort}
          badOnly={state.badOnly}
          search={state.search}
          searching={state.searching}
          total={state.fits.cycles.length}
        />
        <Box width={1} />
        {state.focus === 'population' ? (
          <PopulationView
            population={props.population}
            fits={state.fits}
            names={popNames}
            cursor={state.popCursor}
            bounds={bounds}
            width={rightW}
            height={bodyH}
            focused
          />
        ) : fit ? (
          <Box flexDirection={wide ? 'row' : 'column'} width={rightW}>
            <CycleDetail
              fit={fit}
              data={data}
              modelA={result ? newModelA : modelA}
              oldModelA={result ? modelA : null}
              width={plotW}
              height={plotH}
              modelNote={props.model ? undefined : '(model curve unavailable)'}
            />
            {wide ? <Box width={1} /> : null}
            <ParamTable
              fit={fit}
              names={names}
              bounds={bounds}
              free={state.free}
              device={device}
              cursor={state.paramCursor}
              result={result}
              status={runningNote}
              width={tableW}
              height={tableH}
              focused={state.focus === 'params'}
            />
          </Box>
        ) : (
          <Text>no cycles in {props.fitsPath}</Text>
        )}
      </Box>
      {state.help ? (
        // Drawn over the panes (absolute, with a filled background), so the screen stays in view around it.
        <Box position="absolute" marginTop={1} marginLeft={Math.max(0, Math.floor((size.columns - helpW) / 2))}>
          <HelpOverlay width={helpW} />
        </Box>
      ) : null}
      <Text wrap="truncate" color={statusLine ? 'yellow' : undefined} dimColor={!statusLine}>
        {statusLine ||
          `[${state.focus}] Tab pane · j/k move · Enter select · o sort · b bad only · / search · f fix/free · r refit · s save · ? help${props.notes?.length ? ' · ' + props.notes.join(' · ') : ''}`}
      </Text>
    </Box>
  );
}
