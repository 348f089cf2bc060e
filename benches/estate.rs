//! End-to-end cost of `ing2gw print`, `verify`, `scan` and `diff` on synthetic
//! estates (`support/estate.rs`: the issue 13 mix at chosen sizes, and three
//! pathological shapes), each run as a child process of the release binary and
//! measured from outside (wall time, CPU time, peak RSS via `wait4`), next to the
//! floor program (`support/floor.rs`: parse + re-serialise the same YAML with
//! serde-saphyr) measured in the same run. Optionally the same estates through
//! kubernetes-sigs/ingress2gateway (`--peer`, built by `benches/peer/ingress2gateway.sh`).
//!
//! ```sh
//! cargo bench --bench estate                                  # 1k estate + shapes
//! cargo bench --bench estate -- --sizes 1k,10k --peer
//! cargo bench --bench estate -- --sizes 100k --commands print --no-shapes --timeout 1800
//! cargo bench --bench estate -- --write /tmp/estates --sizes 10k   # files only, for profiling
//! ```
//!
//! Prints one Markdown table per estate (pasted into docs/performance.md).

#[path = "support/estate.rs"]
mod estate;
#[path = "support/floor.rs"]
mod floor;
#[path = "support/measure.rs"]
mod measure;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// The 100k estate is 68 MB, over the default 64Mi per file.
const SIZE_LIMITS: &[&str] = &["--max-file-size", "1Gi", "--max-input-size", "2Gi"];

const COMMANDS: [&str; 4] = ["print", "verify", "scan", "diff"];

const USAGE: &str = "usage: cargo bench --bench estate -- [--sizes 1k,10k,100k] \
[--commands print,verify,scan,diff] [--no-shapes] [--peer] [--seed N] [--timeout SECS] \
[--work DIR] [--write DIR]";

struct Options {
    sizes: Vec<usize>,
    commands: Vec<String>,
    shapes: bool,
    peer: bool,
    seed: u64,
    timeout: Option<Duration>,
    work: PathBuf,
    write: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        sizes: vec![1_000],
        commands: COMMANDS.iter().map(|c| c.to_string()).collect(),
        shapes: true,
        peer: false,
        seed: 1,
        timeout: None,
        work: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/estate-bench"),
        write: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            // cargo bench passes --bench to a harness-less bench.
            "--bench" => {}
            "--sizes" => {
                o.sizes = value()?
                    .split(',')
                    .map(|s| estate::parse_size(s).ok_or_else(|| format!("bad size {s:?}")))
                    .collect::<Result<_, _>>()?;
            }
            "--commands" => {
                o.commands = value()?.split(',').map(str::to_string).collect();
                if let Some(bad) = o.commands.iter().find(|c| !COMMANDS.contains(&c.as_str())) {
                    return Err(format!("unknown command {bad:?}"));
                }
            }
            "--no-shapes" => o.shapes = false,
            "--peer" => o.peer = true,
            "--seed" => o.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--timeout" => {
                let secs: u64 = value()?.parse().map_err(|e| format!("--timeout: {e}"))?;
                o.timeout = Some(Duration::from_secs(secs));
            }
            "--work" => o.work = PathBuf::from(value()?),
            "--write" => o.write = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(o)
}

/// One estate file to measure.
struct Estate {
    label: String,
    path: PathBuf,
    ingresses: usize,
    detail: String,
}

fn write_estates(o: &Options, dir: &Path) -> std::io::Result<Vec<Estate>> {
    std::fs::create_dir_all(dir)?;
    let mut estates = Vec::new();
    for &n in &o.sizes {
        let (text, mix) = estate::realistic(n, o.seed);
        let label = format!("realistic-{}", estate::size_label(n));
        let path = dir.join(format!("{label}.yaml"));
        std::fs::write(&path, &text)?;
        let pct = |k: usize| k * 100 / mix.ingresses.max(1);
        estates.push(Estate {
            label,
            path,
            ingresses: n,
            detail: format!(
                "{} hosts; plain {}%, TLS {}%, rewrite {}%, use-regex {}%, CORS {}%, \
                 read-timeout {}%, canary {}%; tail: auth {}, allow-list {}, snippet {}, \
                 affinity {}, body-size {}",
                mix.hosts,
                pct(mix.plain),
                pct(mix.tls),
                pct(mix.rewrite),
                pct(mix.regex),
                pct(mix.cors),
                pct(mix.timeout),
                pct(mix.canary),
                mix.auth,
                mix.allow_list,
                mix.snippet,
                mix.affinity,
                mix.body_size
            ),
        });
    }
    if o.shapes {
        for (label, text, ingresses, detail) in [
            (
                "regex-host-5000-paths",
                estate::regex_host(5_000),
                100,
                "5,000 regex paths on one use-regex host (100 Ingresses)",
            ),
            (
                "shared-secret-2000-hosts",
                estate::shared_secret(2_000),
                2_000,
                "2,000 hosts, one Ingress each, one TLS Secret",
            ),
            (
                "namespaces-5000",
                estate::namespace_per_ingress(5_000),
                5_000,
                "one Ingress in each of 5,000 namespaces",
            ),
        ] {
            let path = dir.join(format!("{label}.yaml"));
            std::fs::write(&path, text)?;
            estates.push(Estate {
                label: label.to_string(),
                path,
                ingresses,
                detail: detail.to_string(),
            });
        }
    }
    Ok(estates)
}

/// `ing2gw verify: 52 probe(s): 21 same, …` → `52 probe(s): 21 same, …`.
fn probes(stdout: &str) -> Option<String> {
    let line = stdout.lines().find(|l| l.starts_with("ing2gw verify:"))?;
    Some(line.trim_start_matches("ing2gw verify:").trim().to_string())
}

struct Row {
    tool: String,
    run: measure::Run,
    produced: String,
    notes: String,
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

fn ratio(a: Duration, b: Duration) -> String {
    if b.is_zero() {
        "n/a".to_string()
    } else {
        format!("{:.1}×", a.as_secs_f64() / b.as_secs_f64())
    }
}

fn print_table(estate: &Estate, input_bytes: u64, floor: &measure::Run, rows: &[Row]) {
    println!(
        "\n### {} — {} Ingresses, {} MiB ({})\n",
        estate.label,
        estate.ingresses,
        mib(input_bytes),
        estate.detail
    );
    println!(
        "| run | wall s | CPU s | peak RSS MiB | RSS / input | CPU × floor | wall × floor | exit | produced | notifications | stderr KiB |"
    );
    println!("|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|");
    let floor_row = Row {
        tool: "floor (serde-saphyr parse + serialise)".to_string(),
        run: floor.clone(),
        produced: String::new(),
        notes: String::new(),
    };
    for row in std::iter::once(&floor_row).chain(rows) {
        let r = &row.run;
        let limit = if r.timed_out { ">" } else { "" };
        println!(
            "| {} | {limit}{} | {limit}{} | {} | {:.1}× | {limit}{} | {limit}{} | {} | {} | {} | {} |",
            row.tool,
            secs(r.wall),
            secs(r.cpu),
            mib(r.peak_rss),
            r.peak_rss as f64 / input_bytes.max(1) as f64,
            ratio(r.cpu, floor.cpu),
            ratio(r.wall, floor.wall),
            if r.timed_out {
                "killed".to_string()
            } else {
                r.exit_code.map_or("signal".to_string(), |c| c.to_string())
            },
            row.produced,
            row.notes,
            r.stderr_bytes() / 1024,
        );
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn measure_estate(
    o: &Options,
    ing2gw: &Path,
    peer: Option<&Path>,
    estate: &Estate,
) -> std::io::Result<()> {
    let file = estate.path.to_string_lossy().into_owned();
    let out = |what: &str| o.work.join(format!("{}.{what}", estate.label));
    let input_bytes = std::fs::metadata(&estate.path)?.len();
    let me = std::env::current_exe()?;
    let floor = measure::run(&me, &["--floor", &file], &out("floor"), o.timeout)?;
    // The streaming floor (one document at a time): the least memory a
    // translate-while-reading design could reach. A row, not the reference.
    let streaming = measure::run(
        &me,
        &["--floor-streaming", &file],
        &out("floor-streaming"),
        o.timeout,
    )?;
    let mut rows = vec![Row {
        tool: "floor, streaming (one document at a time)".to_string(),
        run: streaming,
        produced: String::new(),
        notes: String::new(),
    }];
    let mut printed: Option<PathBuf> = None; // the --against folder
    for command in &o.commands {
        if command == "diff" && printed.is_none() {
            // diff compares with the manifests committed last time: print's
            // `--output-dir` folder (the documented workflow), made unmeasured.
            let dir = out("committed");
            // A folder left by an earlier bench run is replaced, not diffed.
            let _ = std::fs::remove_dir_all(&dir);
            let dir_arg = dir.to_string_lossy().into_owned();
            measure::run(
                ing2gw,
                &[
                    &["print", "-f", &file, "-q", "--output-dir", &dir_arg],
                    SIZE_LIMITS,
                ]
                .concat(),
                &out("committed-print"),
                o.timeout,
            )?;
            printed = Some(dir);
        }
        let against = printed.clone().unwrap_or_default();
        let against = against.to_string_lossy();
        let mut args: Vec<&str> = match command.as_str() {
            "print" => vec!["print", "-f", &file],
            "verify" => vec!["verify", "-f", &file],
            "scan" => vec!["scan", "-f", &file],
            _ => vec!["diff", "-f", &file, "--against", &against],
        };
        args.extend(SIZE_LIMITS);
        let run = measure::run(ing2gw, &args, &out(command), o.timeout)?;
        let stdout = read(&run.stdout);
        let stderr = read(&run.stderr);
        let (produced, notes) = match command.as_str() {
            "print" => {
                let kinds = measure::kinds(&stdout);
                let total: usize = kinds.values().sum();
                (
                    format!("{total} objects ({})", measure::kinds_summary(&kinds)),
                    measure::notifications(&stderr),
                )
            }
            "verify" => (
                probes(&stdout).unwrap_or_else(|| "n/a".into()),
                measure::notifications(&stderr),
            ),
            "scan" => (
                format!("{} KiB report", run.stdout_bytes() / 1024),
                measure::notifications(&stderr),
            ),
            _ => (
                stdout
                    .lines()
                    .chain(stderr.lines())
                    .find_map(|l| l.strip_prefix("ing2gw diff: "))
                    .map_or_else(
                        || format!("{} KiB diff", run.stdout_bytes() / 1024),
                        str::to_string,
                    ),
                measure::notifications(&stderr),
            ),
        };
        rows.push(Row {
            tool: format!("ing2gw {command}"),
            run,
            produced,
            notes,
        });
    }
    if let Some(peer) = peer {
        let args = [
            "print",
            "--providers",
            "ingress-nginx",
            "--input-file",
            &file,
            "--all-namespaces",
            "--no-color",
        ];
        let run = measure::run(peer, &args, &out("ingress2gateway"), o.timeout)?;
        let kinds = measure::kinds(&read(&run.stdout));
        let total: usize = kinds.values().sum();
        let stderr = read(&run.stderr);
        rows.push(Row {
            tool: "ingress2gateway v1.2.0 print".to_string(),
            run,
            produced: format!("{total} objects ({})", measure::kinds_summary(&kinds)),
            notes: measure::peer_notifications(&stderr),
        });
    }
    print_table(estate, input_bytes, &floor, &rows);
    Ok(())
}

fn build_peer() -> Result<PathBuf, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peer/ingress2gateway.sh");
    let out = std::process::Command::new("bash")
        .arg(&script)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("{}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!("{} failed ({})", script.display(), out.status));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Floor mode: the bench re-runs itself as the floor program, so the floor is
    // measured as a child process exactly like the commands.
    if let [flag, file] = args.as_slice()
        && (flag == "--floor" || flag == "--floor-streaming")
    {
        let stdout = std::io::stdout();
        let run = if flag == "--floor" {
            floor::floor
        } else {
            floor::floor_streaming
        };
        return match run(Path::new(file), &mut std::io::BufWriter::new(stdout.lock())) {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("floor: {file}: {e}");
                ExitCode::from(2)
            }
        };
    }
    let o = match parse_args(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = &o.write {
        return match write_estates(&o, dir) {
            Ok(estates) => {
                for e in estates {
                    println!(
                        "{}\t{} Ingresses\t{}",
                        e.path.display(),
                        e.ingresses,
                        e.detail
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}: {e}", dir.display());
                ExitCode::from(2)
            }
        };
    }
    let peer = if o.peer {
        match build_peer() {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("--peer: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let ing2gw = PathBuf::from(env!("CARGO_BIN_EXE_ing2gw"));
    let estates = match write_estates(&o, &o.work) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{}: {e}", o.work.display());
            return ExitCode::from(2);
        }
    };
    println!(
        "ing2gw estate bench: {} (release), seed {}, {} CPUs, load average {}",
        ing2gw.display(),
        o.seed,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        read(Path::new("/proc/loadavg"))
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut status = ExitCode::SUCCESS;
    for estate in &estates {
        eprintln!("estate bench: measuring {} …", estate.label);
        if let Err(e) = measure_estate(&o, &ing2gw, peer.as_deref(), estate) {
            eprintln!("{}: {e}", estate.label);
            status = ExitCode::from(1);
        }
    }
    status
}
