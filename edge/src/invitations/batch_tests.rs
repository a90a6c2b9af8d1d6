use super::batch::*;
use latchkey_shared::api::StaffMember;
use latchkey_shared::{Audience, ErrorCode, Locale};

fn csv(text: &str) -> Read {
    read(text, Format::Csv).unwrap()
}

#[test]
fn a_school_export_reads_with_its_own_column_names_delimiter_and_quotes() {
    let export = "\u{feff}Student ID;First Name;Last Name;E-mail;Type;Language;Home email\r\n\
                  1;María José;\"García; López\";Maria@School.org;Parent;es;\r\n\
                  \r\n\
                  2;Tom;\"O\"\"Neil\";tom@school.org;teacher;English;tom@home.example\r\n";
    let read = csv(export);
    assert_eq!((read.lines, read.refused.len()), (2, 0));
    let maria = &read.taken[0];
    assert_eq!(maria.line, 2);
    assert_eq!(maria.profile.display_name, "María José García; López");
    assert_eq!((maria.profile.login_email.as_str(), maria.profile.audience), ("maria@school.org", Audience::Parent));
    assert_eq!(maria.profile.locale, Locale::Es);
    let tom = &read.taken[1];
    assert_eq!(
        (tom.line, tom.profile.display_name.as_str(), tom.profile.audience),
        (4, "Tom O\"Neil", Audience::Staff)
    );
    assert_eq!(tom.profile.contact_email.as_deref(), Some("tom@home.example"));
}

#[test]
fn each_bad_line_is_refused_with_its_number_and_the_rest_are_taken() {
    let body = "email,name,audience,locale\n\
                ana@school.org,Ana,parent,\n\
                not-an-email,Bob,parent,\n\
                cy@school.org,Cy,pupil,\n\
                dee@school.org,,staff,\n\
                ANA@school.org,Ana again,parent,\n\
                ana@school.org,Ana the teacher,staff,fr\n\
                ana@school.org,Ana the teacher,staff,\n\
                \"quoted, name\n";
    let err = read(body, Format::Csv).unwrap_err();
    assert_eq!(err, BatchError::Unclosed, "a quote never closed spoils the rest: the whole body is refused");
    let read = csv(body.rsplit_once("\"quoted").unwrap().0);
    let refused: Vec<(u32, ErrorCode)> = read.refused.iter().map(|f| (f.line, f.code)).collect();
    assert_eq!(
        refused,
        [
            (3, ErrorCode::InvalidEmail),
            (4, ErrorCode::InvalidRequest),
            (5, ErrorCode::InvalidRequest),
            (6, ErrorCode::InvalidRequest),
            (7, ErrorCode::InvalidRequest),
        ]
    );
    assert_eq!(read.refused[3].detail.as_deref(), Some("the same person as line 2"));
    assert_eq!(read.refused[1].detail.as_deref(), Some("audience: `pupil` is not staff or parent"));
    let taken: Vec<(u32, Audience)> = read.taken.iter().map(|t| (t.line, t.profile.audience)).collect();
    assert_eq!(taken, [(2, Audience::Parent), (8, Audience::Staff)], "one email, two account types");
}

#[test]
fn json_lines_take_the_single_invitation_body() {
    let body = "{\"login_email\":\"ana@school.org\",\"audience\":\"parent\",\"display_name\":\"Ana\"}\n\n\
                {\"login_email\":\"b@school.org\",\"audience\":\"parent\",\"display_name\":\"B\",\"password\":\"x\"}\n\
                {broken\n";
    let read = read(body, Format::JsonLines).unwrap();
    assert_eq!((read.lines, read.taken.len()), (3, 1));
    let refused: Vec<(u32, ErrorCode)> = read.refused.iter().map(|f| (f.line, f.code)).collect();
    assert_eq!(refused, [(3, ErrorCode::InvalidRequest), (4, ErrorCode::MalformedJson)]);
}

#[test]
fn a_header_without_the_needed_columns_or_too_many_lines_refuse_the_whole_body() {
    assert_eq!(read("email,name\nana@school.org,Ana\n", Format::Csv).unwrap_err(), BatchError::Header);
    assert_eq!(read("", Format::Csv).unwrap_err(), BatchError::Header);
    let mut big = String::from("email,name,type\n");
    for n in 0..=MAX_BATCH_LINES {
        big.push_str(&format!("p{n}@school.org,P {n},parent\n"));
    }
    let err = read(&big, Format::Csv).unwrap_err();
    assert_eq!((err.clone(), err.code()), (BatchError::TooManyLines, ErrorCode::BodyTooLarge));
    assert_eq!(Format::of("text/csv; charset=utf-8"), Format::Csv);
    assert_eq!(Format::of("application/x-ndjson"), Format::JsonLines);
}

#[test]
fn ten_thousand_lines_go_out_in_paced_chunks() {
    let mut big = String::from("email,name,type\n");
    for n in 0..MAX_BATCH_LINES {
        big.push_str(&format!("p{n}@school.org,P {n},parent\n"));
    }
    let read = csv(&big);
    assert_eq!(read.taken.len(), MAX_BATCH_LINES);
    let chunks = chunks("b1", &StaffMember::admin_token(), read.taken, 4);
    assert_eq!(chunks.len(), MAX_BATCH_LINES / CHUNK_LINES);
    let delays: Vec<u32> = chunks.iter().map(|(_, delay)| *delay).collect();
    assert_eq!(&delays[..3], [0, 12, 25], "50 mails at 4 a second: 12.5 s a chunk");
    assert_eq!(*delays.last().unwrap() as usize, (MAX_BATCH_LINES - CHUNK_LINES) / 4);
    assert!(chunks.iter().all(|(chunk, _)| chunk.lines.len() == CHUNK_LINES && chunk.batch == "b1"));
    assert_eq!((mail_delay(0, 4), mail_delay(7, 4), mail_delay(49, 4)), (0, 1, 12));
    let slow = chunks_of(100_000, 1);
    assert_eq!(slow.last().unwrap().1 as u64, MAX_DELAY_SECS, "never past the queue's longest delay");
}

fn chunks_of(n: usize, per_sec: u32) -> Vec<(Chunk, u32)> {
    let profile = csv("email,name,type\na@school.org,A,parent\n").taken.remove(0).profile;
    let taken = (0..n).map(|line| Taken { line: line as u32, profile: profile.clone() }).collect();
    chunks("b", &StaffMember::admin_token(), taken, per_sec)
}
