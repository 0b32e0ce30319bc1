import { defineGroup } from './spec.js';

export const expireCommands = defineGroup('generic', []);
