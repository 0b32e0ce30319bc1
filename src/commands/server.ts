import { defineGroup } from './spec.js';

export const serverCommands = defineGroup('server', []);
