import { defineGroup } from './spec.js';

export const clientCommands = defineGroup('connection', []);
