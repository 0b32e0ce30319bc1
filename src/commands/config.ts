import { defineGroup } from './spec.js';

export const configCommands = defineGroup('server', []);
