//! The QR code an authenticator app scans, drawn as SVG: one path, a horizontal run of dark modules per segment, with
//! the four-module quiet zone the standard asks for.

use qrcodegen::{QrCode, QrCodeEcc};
use std::fmt::Write;

const QUIET_ZONE: i32 = 4;

#[derive(Debug, thiserror::Error)]
#[error("the text is too long for a QR code")]
pub struct TooLong;

/// An SVG document showing `text` as a QR code (error correction M, enough for a screen that is a little dirty).
pub fn svg(text: &str) -> Result<String, TooLong> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(|_| TooLong)?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !code.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && code.get_module(x, y) {
                x += 1;
            }
            // Writing to a String cannot fail.
            let _ = write!(path, "M{},{}h{}v1h-{}z", start + QUIET_ZONE, y + QUIET_ZONE, x - start, x - start);
        }
    }
    let side = size + 2 * QUIET_ZONE;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the SVG back as a scanner would see it: the path's runs drawn into a bitmap, decoded by an independent
    /// QR decoder.
    fn scan(svg: &str) -> String {
        let side: usize = svg.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let scale = 4;
        let mut dark = vec![false; side * side];
        let path = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        for run in path.split('z').filter(|r| !r.is_empty()) {
            let (start, rest) = run.trim_start_matches('M').split_once('h').unwrap();
            let (x, y) = start.split_once(',').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let width: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            (x..x + width).for_each(|x| dark[y * side + x] = true);
        }
        let pixels = side * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(pixels, pixels, |x, y| {
            if dark[(y / scale) * side + x / scale] {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the picture");
        grids[0].decode().expect("the code decodes").1
    }

    #[test]
    fn the_svg_scans_back_to_the_uri() {
        let uri = crate::otp::totp::otpauth_uri("latchkey", "ana@school.org", &[7; 20]);
        let svg = svg(&uri).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(scan(&svg), uri);
    }

    #[test]
    fn too_much_text_is_an_error() {
        assert!(svg(&"x".repeat(5000)).is_err());
    }
}
