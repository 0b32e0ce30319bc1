import { defineGroup } from './spec.js';

export const counterCommands = defineGroup('string', []);
