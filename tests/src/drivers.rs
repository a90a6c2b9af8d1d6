//! The WebDriver servers the page tests drive the three engines through — ChromeDriver (Chromium), geckodriver
//! (Firefox ESR) and WebKitWebDriver (WebKitGTK, drawing on an Xvfb display: it has no headless mode) — each on a port
//! it picked itself.

use crate::process::{artifacts, listening_port, Service};
use std::process::Command;
use std::time::Duration;

pub struct Drivers {
    pub chromium: String,
    pub firefox: String,
    pub webkit: String,
    _services: Vec<Service>,
}

impl Drivers {
    pub fn start() -> Drivers {
        let logs = artifacts();
        for old in ["chromedriver.log", "geckodriver.log", "xvfb.log", "webkitdriver.log"] {
            let _ = std::fs::remove_file(logs.join(old));
        }
        let wait = Duration::from_secs(30);

        let mut chromedriver = Command::new("chromedriver");
        chromedriver.arg("--port=0");
        let mut chrome = Service::spawn("chromedriver", chromedriver, &logs.join("chromedriver.log"));
        let chrome_port: u16 = chrome.wait_for_log(wait, |log| {
            let after = log.rsplit("started successfully on port ").next().filter(|a| a.len() < log.len())?;
            after.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
        });

        let mut geckodriver = Command::new("geckodriver");
        geckodriver.args(["--host", "127.0.0.1", "--port", "0"]);
        let mut gecko = Service::spawn("geckodriver", geckodriver, &logs.join("geckodriver.log"));
        let gecko_port: u16 = gecko.wait_for_log(wait, |log| {
            let after = log.rsplit("Listening on 127.0.0.1:").next().filter(|a| a.len() < log.len())?;
            after.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
        });

        // Xvfb writes the display it took to the descriptor named by -displayfd: here its standard output.
        let mut xvfb = Command::new("Xvfb");
        xvfb.args(["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"]);
        let (xvfb, display) = Service::spawn_reading("Xvfb", xvfb, &logs.join("xvfb.log"));
        assert!(display.parse::<u32>().is_ok(), "Xvfb said no display: {display:?}");
        let mut webkitdriver = Command::new("WebKitWebDriver");
        webkitdriver.env("DISPLAY", format!(":{display}")).args(["--host=127.0.0.1", "--port=0"]);
        let mut webkit = Service::spawn("WebKitWebDriver", webkitdriver, &logs.join("webkitdriver.log"));
        // It does not say which port it took: the kernel does.
        let pid = webkit.pid();
        let webkit_port = webkit.wait_for_log(wait, |_| listening_port(pid));

        let drivers = Drivers {
            chromium: format!("http://127.0.0.1:{chrome_port}"),
            firefox: format!("http://127.0.0.1:{gecko_port}"),
            webkit: format!("http://127.0.0.1:{webkit_port}"),
            _services: vec![chrome, gecko, xvfb, webkit],
        };
        for driver in [&drivers.chromium, &drivers.firefox, &drivers.webkit] {
            let status = format!("{driver}/status");
            let ready = (0..300).any(|_| {
                let up = crate::http1::request("GET", &status).is_some_and(|(code, _)| code == 200);
                if !up {
                    std::thread::sleep(Duration::from_millis(100));
                }
                up
            });
            assert!(ready, "the WebDriver server at {driver} did not answer (logs in test-artifacts/)");
        }
        drivers
    }
}
