export {
  type BatchError,
  type BatchInput,
  type BatchMode,
  type BatchResult,
  type Broker,
  type ChangeListener,
  createBroker,
} from './broker.ts';
export {
  createTemporalBroker,
  MAX_INSTANCES_PER_ATTRIBUTE,
  type TemporalBroker,
  type TemporalEntityResult,
  type TemporalQuery,
} from './temporal.ts';
