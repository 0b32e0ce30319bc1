import { defineGroup } from './spec.js';

export const keyCommands = defineGroup('generic', []);
