// chdb-session.js: a current ClickHouse engine (chdb, in-process) for the
// Go replay harness. It reads one JSON request a line on stdin,
// {"sql": "..."}, runs it in one persistent chdb Session (so databases,
// tables and the current database persist between statements) and writes
// one JSON reply a line on stdout: {"ok": true, "out": "<TabSeparated>"} or
// {"ok": false, "error": "..."}. The first reply is the engine's version.
"use strict";
const readline = require("readline");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { Session } = require("chdb");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zengshou-chdb-"));
// ZENGSHOU_CHDB_CONFIG_FILE, when set, is a server configuration file the
// engine starts on (OpenChdbWithConfig).
const configFile = process.env.ZENGSHOU_CHDB_CONFIG_FILE;
const session = configFile ? new Session(dir, { connectionArgs: ["--config-file=" + configFile] }) : new Session(dir);
function reply(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}
reply({ ok: true, out: session.query("SELECT version()", "TabSeparated") });
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  if (line === "") return;
  let req;
  try {
    req = JSON.parse(line);
    reply({ ok: true, out: session.query(req.sql, "TabSeparated") });
  } catch (e) {
    reply({ ok: false, error: String(e && e.message ? e.message : e) });
  }
});
rl.on("close", () => {
  try { session.cleanup(); } catch (e) { /* the directory goes below */ }
  fs.rmSync(dir, { recursive: true, force: true });
});
