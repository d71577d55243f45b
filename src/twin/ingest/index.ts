export {
  type Connector,
  type ConnectorDeps,
  runConnector,
  type SourceFormat,
  type SourceSpec,
  scheduleConnector,
} from './connector.ts';
export { checkEntity, type QualityRules } from './quality.ts';
