// Render server for benchmarks/peers.py: one JSON command per stdin line, one JSON answer per line.
// {"template": path, "data": path, "out": path?} -> {"ms": render time, "cpu_ms": CPU time, "bytes": size}
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
  const cpu = process.cpuUsage();
  carbone.render(cmd.template, datas[cmd.data], {}, (err, result) => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);  // the whole process: its thread pool included
    if (err) { process.stdout.write(JSON.stringify({ error: String(err) }) + "\n"); return; }
    if (cmd.out) fs.writeFileSync(cmd.out, result);
    process.stdout.write(JSON.stringify({ ms, cpu_ms: (used.user + used.system) / 1000, bytes: result.length }) + "\n");
  });
});
