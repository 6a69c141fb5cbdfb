import { multiProcessSuite } from './multi-process.js';

multiProcessSuite(['redis']);
