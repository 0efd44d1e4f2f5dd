//! Gathers one case's evidence from the demo admin API with 100 ms injected latency and prints
//! the wall time beside the sum of the queries' own times. Concurrent gathering must take about
//! one round trip: under 1.5 x the latency + 20 ms. Exits 1 if it does not.
//!
//! `cargo bench --bench gather`

use authdesk::admin::demo::{DemoData, DemoOptions, DemoServer};
use authdesk::admin::{AdminClient, AdminToken, Connection, Gathered};
use authdesk::facts::{FactSource, Facts};
use chrono::Utc;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

const LATENCY: Duration = Duration::from_millis(100);
const RUNS: usize = 15;

fn intake(pairs: &[(&str, &str)]) -> Facts {
    let mut f = Facts::new();
    for (k, v) in pairs {
        if let Err(e) = f.insert_text(k, v, FactSource::Intake, Utc::now()) {
            panic!("bad intake {k}: {e}");
        }
    }
    f
}

struct Figures {
    wall: Duration,
    sum: Duration,
    queries: usize,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn measure(conn: &Connection, case: &Facts) -> Figures {
    let mut walls = Vec::new();
    let mut sums = Vec::new();
    let mut queries = 0;
    for _ in 0..RUNS {
        let g: Gathered = conn.gather_all(case, Utc::now()).await;
        assert!(g.unavailable.is_empty(), "{:?}", g.unavailable);
        queries = g.timings.len();
        walls.push(g.wall);
        sums.push(g.timings.iter().map(|t| t.1).sum());
    }
    Figures {
        wall: median(walls),
        sum: median(sums),
        queries,
    }
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let data = DemoData::built_in(Utc::now()).expect("the built-in data set loads");
        let options = DemoOptions {
            latency: LATENCY,
            ..DemoOptions::default()
        };
        let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let server = DemoServer::start(loopback, data, options)
            .await
            .expect("a loopback port is free");
        let timeout = Duration::from_secs(5);
        let client = AdminClient::new(&server.url(), AdminToken::random(), timeout, timeout)
            .expect("the demo URL is valid");
        let conn = Connection::to(client);

        let full = intake(&[
            ("key_id", "key_role"),
            ("customer_id", "cus_1019"),
            ("method", "POST"),
            ("endpoint", "/v1/orders"),
            ("client_ip", "192.0.2.120"),
        ]);
        let key_only = intake(&[("key_id", "key_role")]);
        let bound = LATENCY.mul_f64(1.5) + Duration::from_millis(20);
        println!(
            "gathering evidence from the demo admin API, {} ms latency per call, median of {RUNS} runs",
            LATENCY.as_millis()
        );
        println!("{:<40} {:>7} {:>10} {:>12}", "case", "queries", "wall", "sum of calls");
        let mut ok = true;
        for (name, case, must_fit) in [
            ("full intake (all queries at once)", &full, true),
            ("key id only (+ owner, + logged route)", &key_only, false),
        ] {
            let f = measure(&conn, case).await;
            println!(
                "{name:<40} {:>7} {:>7.1} ms {:>9.1} ms",
                f.queries,
                f.wall.as_secs_f64() * 1e3,
                f.sum.as_secs_f64() * 1e3
            );
            if must_fit && f.wall >= bound {
                ok = false;
                eprintln!("too slow: {:?} is not under {:?}", f.wall, bound);
            }
        }
        println!("bound for the full intake: under {:.0} ms", bound.as_secs_f64() * 1e3);
        if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
    })
}
