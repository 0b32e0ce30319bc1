import { defineGroup } from './spec.js';

export const bitfieldCommands = defineGroup('bitmap', []);
