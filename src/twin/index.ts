export { type InstanceInfo, type Peer, WEB_DIST } from './instance-routes.ts';
export { type SeedProgress, seedCity } from './seed.ts';
export { defaultDataDir, type RunningServer, type ServerOptions, seedReport, smartDataModelContexts, startServer } from './server.ts';
