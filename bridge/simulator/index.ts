// The CustomGPT.ai simulator: a faithful, fast double of the real API for demo mode, tests and
// benchmarks. See types.ts for the contract and server.ts for how a request is served.
export { DEFAULT_SIM_KEY } from './context';
export { answerFor, citationById, KNOWLEDGE, NO_ANSWER_MESSAGE } from './knowledge';
export { startSimulator } from './server';
export type {
  Fault,
  FaultKind,
  FeedbackRecord,
  RecordedRequest,
  Simulator,
  SimulatorOptions,
  StreamRecord,
} from './types';

/** Project 1001, "Acme Rocket Docs": the project demo mode talks to. */
export const DEMO_PROJECT_ID = '1001';
