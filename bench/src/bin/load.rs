//! `load ADDR CONNECTIONS SECONDS METHOD PATH [BODY] [--pid PID]`: a closed-loop HTTP/1.1 load
//! driver over keep-alive connections (one request in flight on each), for `bench/load.sh`.
//! Prints one JSON line: requests, requests per second, p50/p99 latency, responses that were
//! not 2xx or failed, and (with `--pid`) the server's resident memory sampled every second.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Args {
    addr: String,
    connections: usize,
    seconds: u64,
    request: Vec<u8>,
    pid: Option<u32>,
}

fn parse() -> Result<Args, String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut pid = None;
    if let Some(at) = args.iter().position(|a| a == "--pid") {
        let value = args.get(at + 1).ok_or("--pid takes a process id")?;
        pid = Some(value.parse().map_err(|_| format!("not a pid: {value}"))?);
        args.drain(at..at + 2);
    }
    let [addr, connections, seconds, method, path, rest @ ..] = args.as_slice() else {
        return Err("usage: load ADDR CONNECTIONS SECONDS METHOD PATH [BODY] [--pid PID]".into());
    };
    let body = rest.first().map_or("", String::as_str);
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    Ok(Args {
        addr: addr.clone(),
        connections: connections.parse().map_err(|_| "CONNECTIONS: a number")?,
        seconds: seconds.parse().map_err(|_| "SECONDS: a number")?,
        request: request.into_bytes(),
        pid,
    })
}

/// One response read whole: its status.
async fn response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(status)
}

/// Latencies (µs) and failures of one connection until `deadline`.
async fn connection(addr: String, request: Vec<u8>, deadline: Instant) -> (Vec<u32>, u64) {
    let (mut latencies, mut failures) = (Vec::new(), 0);
    let Ok(mut stream) = TcpStream::connect(&addr).await else {
        return (latencies, 1);
    };
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(16 * 1024);
    while Instant::now() < deadline {
        let start = Instant::now();
        if stream.write_all(&request).await.is_err() {
            return (latencies, failures + 1);
        }
        match response(&mut stream, &mut buf).await {
            Ok(status) => {
                latencies.push(start.elapsed().as_micros().min(u32::MAX as u128) as u32);
                failures += u64::from(!(200..300).contains(&status));
            }
            Err(_) => return (latencies, failures + 1),
        }
    }
    (latencies, failures)
}

fn resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = match parse() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let sampler = args.pid.map(|pid| {
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while Instant::now() < deadline {
                samples.extend(resident_kib(pid));
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            samples.extend(resident_kib(pid));
            samples
        })
    });
    let tasks: Vec<_> = (0..args.connections)
        .map(|_| {
            tokio::spawn(connection(
                args.addr.clone(),
                args.request.clone(),
                deadline,
            ))
        })
        .collect();
    let (mut latencies, mut failures) = (Vec::new(), 0);
    for task in tasks {
        match task.await {
            Ok((l, f)) => {
                latencies.extend(l);
                failures += f;
            }
            Err(_) => failures += 1,
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    let memory = match sampler {
        Some(task) => {
            let samples = task.await.unwrap_or_default();
            format!(
                r#","rss_first_kib":{},"rss_last_kib":{},"rss_max_kib":{}"#,
                samples.first().copied().unwrap_or(0),
                samples.last().copied().unwrap_or(0),
                samples.iter().max().copied().unwrap_or(0)
            )
        }
        None => String::new(),
    };
    println!(
        r#"{{"requests":{},"rps":{:.0},"p50_us":{},"p99_us":{},"failures":{failures}{memory}}}"#,
        latencies.len(),
        latencies.len() as f64 / elapsed,
        at(0.5),
        at(0.99),
    );
}
