//! A page on another origin that embeds the widget with one script tag, served by the test process: proof that site
//! owners can drop latchkey into their own pages.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// Serves `html` for every request on a free port of 127.0.0.1; returns the page's URL. Lives as long as the process.
pub fn serve_page(html: String) -> String {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a free port");
    let address = listener.local_addr().expect("bound");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            // Read the request head, then answer with the page.
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
                html.len()
            );
            let _ = stream.flush();
        }
    });
    format!("http://{address}/")
}
