export { type AppOptions, buildApp, DEFAULT_BODY_LIMIT } from './app.ts';
export { type ContextResolver, createContextResolver } from './context-resolver.ts';
