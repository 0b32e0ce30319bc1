import { defineGroup } from './spec.js';

export const introspectionCommands = defineGroup('server', []);
