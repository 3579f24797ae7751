import { afterAll } from 'vitest';
import { removeTempDirs } from '../helpers/temp-dir.js';

// A setup file runs before every test file (unit files too, though they share modules): each file
// removes what tempDir made for it once its last test, and its own afterAll hooks, have finished.
afterAll(() => removeTempDirs());
