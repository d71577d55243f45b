#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx's loader: there is no build step
// between a checkout and a running twin.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
