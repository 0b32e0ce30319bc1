import { defineGroup } from './spec.js';

export const bitCommands = defineGroup('bitmap', []);
