#!/usr/bin/env node
import { exitCleanlyOnSignals } from '../shared/interrupt.js';
import { main } from './main.js';

exitCleanlyOnSignals((line) => console.error(`error: ${line}`));
process.exitCode = await main(process.argv.slice(2));
