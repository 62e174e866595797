// Render server for benchmarks/peers.py: one JSON command per stdin line, one JSON answer per line.
// {"template": path, "data": path, "out": path?} -> {"ms": render time, "bytes": size}
// Carbone is installed by peers.py into benchmarks/peers/ (gitignored); it is no dependency of kehoach.
const path = require("path");
const fs = require("fs");
const readline = require("readline");
const carbone = require(path.join(__dirname, "peers", "node_modules", "carbone"));

const datas = {};
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const cmd = JSON.parse(line);
  if (!(cmd.data in datas)) datas[cmd.data] = JSON.parse(fs.readFileSync(cmd.data, "utf8"));
  const start = process.hrtime.bigint();
  carbone.render(cmd.template, datas[cmd.data], {}, (err, result) => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (err) { process.stdout.write(JSON.stringify({ error: String(err) }) + "\n"); return; }
    if (cmd.out) fs.writeFileSync(cmd.out, result);
    process.stdout.write(JSON.stringify({ ms, bytes: result.length }) + "\n");
  });
});
