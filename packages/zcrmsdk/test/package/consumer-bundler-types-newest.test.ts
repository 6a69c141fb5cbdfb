import { it } from 'node:test';
import { checkConsumer } from './consumer.js';

it('a TypeScript consumer of every entry point compiles: bundler, strict, skipLibCheck false, the newest @types/node', () => checkConsumer('bundler', 'newest'));
