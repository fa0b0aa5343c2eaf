/** The selected cycle: title, diagnosis, the I-V plot (log|I| against V) and its residuals. */
import { Box, Text } from 'ink';
import { ivChart, residualChart, COLORS } from './charts.js';
import { Lines } from './Lines.js';
import { diagnose, fmtRms, rmsByBranch, residualsLog10 } from '../inspect/quality.js';
import type { CycleData, CycleFitView } from '../inspect/schema.js';

export interface CycleDetailProps {
  fit: CycleFitView;
  data: CycleData | null;
  modelA: Float64Array | null;
  oldModelA?: Float64Array | null;
  width: number;
  height: number;
  modelNote?: string;
}

export function CycleDetail(p: CycleDetailProps) {
  const { fit, data } = p;
  const floor = data?.currentFloorA ?? 1e-12;
  const res = data && p.modelA ? residualsLog10(data.iA, p.modelA, floor) : null;
  const byBranch = res && data ? rmsByBranch(res, data.branch) : null;
  // Rows: title, diagnosis, I-V plot, legend, residual header, residual strip (dropped on short terminals).
  const why = diagnose(fit, byBranch).slice(0, p.height >= 30 ? 4 : p.height >= 20 ? 3 : 2);
  const fixed = 1 + why.length + 1 + 1;
  const resRows = p.height - fixed >= 22 ? Math.max(4, Math.min(8, Math.floor(p.height * 0.25))) : 0;
  const ivRows = Math.max(4, p.height - fixed - resRows);
  const title = `${fit.device} cycle ${fit.cycle} · RMS ${fmtRms(fit.rmsLog10)} dec · ${fit.converged ? 'converged' : 'NOT converged'}`;
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Text bold wrap="truncate">
        {title}
      </Text>
      {why.map((w, i) => (
        <Text key={i} wrap="truncate" color={fit.flags.length || !fit.converged ? 'red' : 'green'}>
          • {w}
        </Text>
      ))}
      {data ? (
        <>
          <Lines
            lines={ivChart({
              cols: p.width,
              rows: ivRows,
              vV: data.vV,
              iA: data.iA,
              branch: data.branch,
              modelA: p.modelA,
              oldModelA: p.oldModelA,
              complianceA: data.complianceA,
              floorA: floor,
            })}
          />
          <Text wrap="truncate">
            <Text color={COLORS.set}>● SET</Text> <Text color={COLORS.reset}>● RESET</Text> <Text color={COLORS.model}>─ model</Text>
            {p.oldModelA ? <Text color={COLORS.old}> ─ before refit</Text> : null}
            {data.complianceA ? <Text color={COLORS.compliance}> ┄ compliance {(data.complianceA * 1e6).toPrecision(3)} µA</Text> : null}
            {p.modelNote ? <Text dimColor> {p.modelNote}</Text> : null}
          </Text>
          {res ? (
            <>
              <Text wrap="truncate" dimColor>
                residual log10|I| (meas − model) · {byBranch!.map((b) => `${b.name} ${fmtRms(b.rmsLog10)}`).join(' · ')}
              </Text>
              {resRows > 0 ? (
                <Lines lines={residualChart({ cols: p.width, rows: resRows, vV: data.vV, res, branch: data.branch })} />
              ) : null}
            </>
          ) : (
            <Text dimColor>no residuals: the model curve is not available</Text>
          )}
        </>
      ) : (
        <Text color="yellow">
          measured data not found for {fit.device}#{fit.cycle} (dataset missing or not matching)
        </Text>
      )}
    </Box>
  );
}
