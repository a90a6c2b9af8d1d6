//! A batch of invitations: the body read (CSV with a header, as a school's information system exports it, or JSON
//! lines), each line checked as a single invitation is (`account::new_account`) and refused with its number and why,
//! a person given twice refused the second time, and the rest cut into chunks the queue delivers at the configured
//! pace — so no request walks 10,000 lines' accounts, and the provider gets the mail no faster than it takes it.

use crate::account::new_account;
use crate::account::state::Profile;
use latchkey_shared::api::{ImportFailure, NewInvitation, StaffMember};
use latchkey_shared::{Audience, ErrorCode, Locale};
use serde::{Deserialize, Serialize};

/// The most lines one batch takes.
pub const MAX_BATCH_LINES: usize = 10_000;
/// The largest body: 10,000 lines of a wide export.
pub const MAX_BATCH_BODY: usize = 4 * 1024 * 1024;
/// Lines per queue message: each is one consumer invocation's work (an account's object and a KV write a line).
pub const CHUNK_LINES: usize = 50;
/// The longest a queue delays a message (Cloudflare Queues: 12 hours).
pub const MAX_DELAY_SECS: u64 = 12 * 3600;

/// How the body is written, by its content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    pub const CONTENT_TYPES: [&'static str; 4] =
        ["text/csv", "application/x-ndjson", "application/jsonl", "application/json"];

    pub fn of(content_type: &str) -> Format {
        if content_type.trim().to_ascii_lowercase().starts_with("text/csv") {
            Format::Csv
        } else {
            Format::JsonLines
        }
    }
}

/// A line taken: its number in the body and the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taken {
    pub line: u32,
    pub profile: Profile,
}

/// What a body held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// Lines with a person on them (not blank ones, not the header).
    pub lines: u32,
    pub taken: Vec<Taken>,
    pub refused: Vec<ImportFailure>,
}

/// Why a whole body is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    #[error("the CSV header must name login_email (or email), audience (or type) and display_name (or name, or first_name and last_name)")]
    Header,
    #[error("at most {MAX_BATCH_LINES} lines per batch")]
    TooManyLines,
    #[error("a quoted field is not closed")]
    Unclosed,
}

impl BatchError {
    pub fn code(&self) -> ErrorCode {
        match self {
            BatchError::TooManyLines => ErrorCode::BodyTooLarge,
            _ => ErrorCode::InvalidRequest,
        }
    }
}

/// Reads a body: every line checked, each person once.
pub fn read(text: &str, format: Format) -> Result<Read, BatchError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rows = match format {
        Format::Csv => csv_rows(text)?,
        Format::JsonLines => json_rows(text),
    };
    if rows.len() > MAX_BATCH_LINES {
        return Err(BatchError::TooManyLines);
    }
    let mut read = Read { lines: rows.len() as u32, taken: Vec::new(), refused: Vec::new() };
    let mut seen: std::collections::HashMap<(Audience, String), u32> = std::collections::HashMap::new();
    for (line, row) in rows {
        let refuse = |code: ErrorCode, detail: String| ImportFailure { line, code, detail: Some(detail) };
        let checked =
            row.and_then(|invitation| new_account::invited(invitation).map_err(|e| (e.code(), e.to_string())));
        match checked {
            Err((code, detail)) => read.refused.push(refuse(code, detail)),
            Ok((login, create)) => {
                let key = (create.profile.audience, login.as_str().to_owned());
                if let Some(first) = seen.get(&key) {
                    read.refused.push(refuse(ErrorCode::InvalidRequest, format!("the same person as line {first}")));
                } else {
                    seen.insert(key, line);
                    read.taken.push(Taken { line, profile: create.profile });
                }
            }
        }
    }
    Ok(read)
}

/// A line as read: the invitation, or why it is not one.
type Row = Result<NewInvitation, (ErrorCode, String)>;

fn json_rows(text: &str) -> Vec<(u32, Row)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let row = crate::body::parse_json::<NewInvitation>(line.as_bytes(), crate::body::MAX_JSON_BODY)
                .map_err(|e| (e.code, e.detail));
            (index as u32 + 1, row)
        })
        .collect()
}

/// The columns an export may call each field by (lower case; spaces and hyphens read as underscores).
const LOGIN: &[&str] = &["login_email", "email", "e_mail", "email_address", "login"];
const AUDIENCE: &[&str] = &["audience", "type", "account_type", "role"];
const NAME: &[&str] = &["display_name", "name", "full_name"];
const FIRST: &[&str] = &["first_name", "given_name", "forename"];
const LAST: &[&str] = &["last_name", "family_name", "surname"];
const CONTACT: &[&str] = &["contact_email", "contact", "home_email", "personal_email"];
const LOCALE: &[&str] = &["locale", "language", "lang"];

struct Columns {
    login: usize,
    audience: usize,
    name: Result<usize, (usize, usize)>,
    contact: Option<usize>,
    locale: Option<usize>,
}

impl Columns {
    fn of(header: &[String]) -> Result<Columns, BatchError> {
        let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase().replace([' ', '-'], "_")).collect();
        let find = |aliases: &[&str]| names.iter().position(|n| aliases.contains(&n.as_str()));
        let name = match (find(NAME), find(FIRST), find(LAST)) {
            (Some(name), _, _) => Ok(name),
            (None, Some(first), Some(last)) => Err((first, last)),
            _ => return Err(BatchError::Header),
        };
        Ok(Columns {
            login: find(LOGIN).ok_or(BatchError::Header)?,
            audience: find(AUDIENCE).ok_or(BatchError::Header)?,
            name,
            contact: find(CONTACT),
            locale: find(LOCALE),
        })
    }

    fn row(&self, fields: &[String]) -> Row {
        let field = |at: usize| fields.get(at).map(|f| f.trim()).unwrap_or_default();
        let display_name = match self.name {
            Ok(at) => field(at).to_owned(),
            Err((first, last)) => format!("{} {}", field(first), field(last)).trim().to_owned(),
        };
        let contact = self.contact.map(field).filter(|c| !c.is_empty());
        Ok(NewInvitation {
            login_email: field(self.login).to_owned(),
            audience: audience(field(self.audience))?,
            display_name,
            contact_email: contact.map(str::to_owned),
            locale: match self.locale.map(field).filter(|l| !l.is_empty()) {
                None => None,
                Some(raw) => Some(locale(raw)?),
            },
        })
    }
}

/// An account type as exports write it.
fn audience(raw: &str) -> Result<Audience, (ErrorCode, String)> {
    match raw.trim().to_lowercase().as_str() {
        "staff" | "teacher" | "employee" | "personal" | "profesor" | "profesora" => Ok(Audience::Staff),
        "parent" | "guardian" | "family" | "carer" | "familia" | "padre" | "madre" | "tutor" => Ok(Audience::Parent),
        other => Err((ErrorCode::InvalidRequest, format!("audience: `{other}` is not staff or parent"))),
    }
}

fn locale(raw: &str) -> Result<Locale, (ErrorCode, String)> {
    match raw.trim().to_lowercase().as_str() {
        "en" | "english" | "inglés" | "ingles" => Ok(Locale::En),
        "es" | "spanish" | "español" | "espanol" | "castellano" => Ok(Locale::Es),
        other => Err((ErrorCode::InvalidRequest, format!("locale: `{other}` is not en or es"))),
    }
}

/// The CSV's people, each with the line it starts on; the delimiter (comma, semicolon or tab) is the header's.
fn csv_rows(text: &str) -> Result<Vec<(u32, Row)>, BatchError> {
    let records = records(text)?;
    let mut records = records.into_iter().filter(|(_, fields)| fields.iter().any(|f| !f.trim().is_empty()));
    let Some((_, header)) = records.next() else { return Err(BatchError::Header) };
    let columns = Columns::of(&header)?;
    Ok(records.map(|(line, fields)| (line, columns.row(&fields))).collect())
}

/// RFC 4180 records: quoted fields may hold the delimiter, quotes doubled, and line breaks.
fn records(text: &str) -> Result<Vec<(u32, Vec<String>)>, BatchError> {
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter =
        [';', '\t'].into_iter().find(|d| first_line.contains(*d) && !first_line.contains(',')).unwrap_or(',');
    let (mut records, mut fields, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut line, mut start, mut quoted) = (1_u32, 1_u32, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => {
                line += u32::from(c == '\n');
                field.push(c);
            }
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, '\r') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            (false, c) if c == delimiter => fields.push(std::mem::take(&mut field)),
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(BatchError::Unclosed);
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    Ok(records)
}

/// One queue message of a batch: its lines, who asked (checked again on each account), and its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    pub batch: String,
    pub number: u32,
    pub by: StaffMember,
    pub lines: Vec<Taken>,
}

/// The batch's lines in chunks, each with the delay (seconds) the queue holds it for: chunk after chunk at
/// `mails_per_sec`, never past the queue's longest delay.
pub fn chunks(batch: &str, by: &StaffMember, taken: Vec<Taken>, mails_per_sec: u32) -> Vec<(Chunk, u32)> {
    let mut out = Vec::new();
    let mut lines = taken.into_iter().peekable();
    let mut sent_before = 0_u64;
    while lines.peek().is_some() {
        let chunk: Vec<Taken> = lines.by_ref().take(CHUNK_LINES).collect();
        let delay = (sent_before / u64::from(mails_per_sec.max(1))).min(MAX_DELAY_SECS) as u32;
        sent_before += chunk.len() as u64;
        let number = out.len() as u32;
        out.push((Chunk { batch: batch.to_owned(), number, by: by.clone(), lines: chunk }, delay));
    }
    out
}

/// Within a chunk, how long the queue holds the mail of its `index`th line: the chunk's lines spread over the
/// seconds they are due in.
pub fn mail_delay(index: usize, mails_per_sec: u32) -> u32 {
    (index as u64 / u64::from(mails_per_sec.max(1))).min(MAX_DELAY_SECS) as u32
}
