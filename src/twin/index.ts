export { type DemoReport, dataspacePlugin, runDataspaceDemo } from './dataspace/index.ts';
export {
  type Connector,
  type ConnectorDeps,
  checkEntity,
  type QualityRules,
  runConnector,
  type SourceSpec,
  scheduleConnector,
} from './ingest/index.ts';
export { type InstanceInfo, type Peer, WEB_DIST } from './instance-routes.ts';
export { datasetConnector, type SeedProgress, seedCity } from './seed.ts';
export {
  defaultDataDir,
  type RunningServer,
  type ServerOptions,
  seedReport,
  smartDataModelContexts,
  startServer,
} from './server.ts';
