//! A page on another origin that embeds the widget with one script tag, served by the test process: proof that site
//! owners can drop latchkey into their own pages.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// Serves the files of `dir` (flat) on a free port of 127.0.0.1; returns the base URL, ending in `/`.
pub fn serve_dir(dir: std::path::PathBuf) -> String {
    serve(move |path| {
        let name = path.trim_start_matches('/').split(['?', '#']).next().unwrap_or_default().to_owned();
        if name.contains("..") || name.contains('/') {
            return None;
        }
        let body = std::fs::read(dir.join(&name)).ok()?;
        let kind = match name.rsplit('.').next() {
            Some("html") => "text/html; charset=utf-8",
            Some("js") => "text/javascript",
            Some("wasm") => "application/wasm",
            _ => "application/octet-stream",
        };
        Some((kind, body))
    })
}

/// Serves `html` for every request on a free port of 127.0.0.1; returns the page's URL. Lives as long as the process.
pub fn serve_page(html: String) -> String {
    serve(move |_| Some(("text/html; charset=utf-8", html.clone().into_bytes())))
}

type Answer = Option<(&'static str, Vec<u8>)>;

fn serve(answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> String {
    let answer = std::sync::Arc::new(answer);
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a free port");
    let address = listener.local_addr().expect("bound");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request_line = String::new();
                let _ = reader.read_line(&mut request_line);
                let path = request_line.split(' ').nth(1).unwrap_or("/").to_owned();
                let mut line = String::new();
                // Read the rest of the request head, then answer.
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let (status, kind, body) = match answer(&path) {
                    Some((kind, body)) => ("200 OK", kind, body),
                    None => ("404 Not Found", "text/plain", b"not found".to_vec()),
                };
                let mut stream = &stream;
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream
                    .write_all(head.as_bytes())
                    .and_then(|_| stream.write_all(&body))
                    .and_then(|_| stream.flush());
            });
        }
    });
    format!("http://{address}/")
}
