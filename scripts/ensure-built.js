#!/usr/bin/env node
'use strict';
// Used by npm scripts that run compiled code: installs nothing, compiles what changed.
require('./build.js');
