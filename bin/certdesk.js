#!/usr/bin/env node
// The certdesk command. It runs the TypeScript sources through tsx, so a checkout needs
// no build step: `npx certdesk …` works as soon as `npm ci` has run.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
