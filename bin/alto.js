#!/usr/bin/env node
// CommonJS (see bin/package.json): the bundle starts faster than through the ESM loader.
require('../dist/alto.cjs');
