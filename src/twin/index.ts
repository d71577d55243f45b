export { type InstanceInfo, type Peer, WEB_DIST } from './instance-routes.ts';
export { type Connector, type ConnectorDeps, checkEntity, type QualityRules, runConnector, scheduleConnector, type SourceSpec } from './ingest/index.ts';
export { datasetConnector, type SeedProgress, seedCity } from './seed.ts';
export { defaultDataDir, type RunningServer, type ServerOptions, seedReport, smartDataModelContexts, startServer } from './server.ts';
export { type DemoReport, dataspacePlugin, runDataspaceDemo } from './dataspace/index.ts';
