//! The one small HTTP/1.1 server behind every service the tests fake (the mail provider, the site's webhook
//! receiver, pages on another origin): real sockets, one thread per connection, `Connection: close`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

pub struct Request {
    pub method: String,
    /// The request target as sent: path and query.
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    /// Where a redirect points.
    pub location: Option<String>,
    /// `Retry-After`, in seconds (a provider's `429`).
    pub retry_after: Option<u32>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(status: u16, body: impl Into<String>) -> Response {
        Response {
            status,
            content_type: "application/json",
            location: None,
            retry_after: None,
            body: body.into().into_bytes(),
        }
    }

    pub fn text(status: u16, body: impl Into<String>) -> Response {
        Response {
            status,
            content_type: "text/plain",
            location: None,
            retry_after: None,
            body: body.into().into_bytes(),
        }
    }
}

/// Serves `handler` on 127.0.0.1:`port` (0: any free port) for the rest of the process; returns the bound port.
pub fn listen(port: u16, handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> u16 {
    let listener =
        TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:{port}: {e}"));
    let bound = listener.local_addr().expect("a bound listener has an address").port();
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handler = handler.clone();
            std::thread::spawn(move || {
                let _ = serve(stream, handler.as_ref());
            });
        }
    });
    bound
}

fn serve(stream: TcpStream, handler: &dyn Fn(&Request) -> Response) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or("/").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let response = handler(&Request { method, path, headers, body });
    let mut stream = stream;
    let head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}{}Connection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len(),
        response.location.as_ref().map_or(String::new(), |to| format!("Location: {to}\r\n")),
        response.retry_after.map_or(String::new(), |secs| format!("Retry-After: {secs}\r\n"))
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&response.body)?;
    stream.flush()
}
