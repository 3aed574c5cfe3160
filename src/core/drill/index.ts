// Tabletop drills (issue 6): scenarios shipped with the samples, starting a drill record against a local
// scenario, the drill's target resolver, its processes, and the drill report. Pure core: no `vscode`.
export { loadScenario, listScenarios, expandValue, manifestSchema, type DrillManifest, type DrillStep, type Scenario } from './scenario.js';
export { scenariosForRunbook, type ScenarioLookup } from './lookup.js';
export { startDrill, type DrillSession, type StartDrillOptions } from './start.js';
export { drillTargetResolver } from './targets.js';
export { drillProcesses, stopDrillProcesses } from './processes.js';
export { drillReport, type DrillReport, type DrillStepTiming } from './report.js';
export { addDrillStart, briefingOf, drillBanner, endDrillRecord, isDrillBanner, type DrillEnd } from './record.js';
