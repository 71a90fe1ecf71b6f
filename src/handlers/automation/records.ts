// Records as automation rules see and change them: snapshots, references, the "set", "add watchers" and "follow-up"
// actions, and who may see a record. One module per concept; this one gathers them for the engine and events.ts.
export { loadSnapshot, loadSnapshots, recordIdsPage, type Reader } from "./record-snapshot.js";
export { findDryRunRecord, findRecordByRef, openButtonOf } from "./record-ref.js";
export { applySet, type SetOutcome } from "./record-set.js";
export { addWatchers, planFollowUpCall, type FollowUpOutcome, type WatchersAdded } from "./record-actions.js";
export { canSeeRecord, recipientsOf } from "./record-access.js";
