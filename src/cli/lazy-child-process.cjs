// What the bundle gives commander for require('node:child_process'): the module, loaded on
// first use. commander needs it only for executable subcommands, which logmetrics has none
// of, and loading it (with net, dgram and the stream modules) costs ~6 ms of every start-up.
'use strict';
let real;
module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });
