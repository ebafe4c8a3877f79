import * as core from '@actions/core';
import { exitCleanlyOnSignals } from '../shared/interrupt.js';
import { run } from './run.js';

// A cancelled job sends SIGINT, then SIGTERM: the step still cleans up after itself.
exitCleanlyOnSignals((line) => core.error(line));
await run();
