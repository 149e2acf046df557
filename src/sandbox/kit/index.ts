// Building blocks shared by every service emulator.
export { Emulator, type EmulatorOptions } from './emulator.ts';
export { droppedConnection, FaultPlan } from './faults.ts';
export { LostResponses } from './lost-responses.ts';
export { RateWindow } from './rate-window.ts';
export { type LoggedRequest, RequestLog } from './request-log.ts';
export { matchRoute } from './routes.ts';
