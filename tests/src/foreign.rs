//! A page on another origin that embeds the widget with one script tag, served by the test process: proof that site
//! owners can drop latchkey into their own pages.

use crate::fake_http::{self, Response};

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
    let port = fake_http::listen(0, move |request| match answer(&request.path) {
        Some((content_type, body)) => Response { status: 200, content_type, location: None, retry_after: None, body },
        None => Response::text(404, "not found"),
    });
    format!("http://127.0.0.1:{port}/")
}
