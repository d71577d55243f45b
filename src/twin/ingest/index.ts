export { type Connector, type ConnectorDeps, runConnector, scheduleConnector, type SourceFormat, type SourceSpec } from './connector.ts';
export { checkEntity, type QualityRules } from './quality.ts';
