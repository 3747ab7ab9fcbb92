//! `phuluc fix-encoding FILE --from tcvn3|vni [-o OUT] [--in-place]`: converts text that
//! was typed with an old TCVN3 (ABC, ".VnTime") or VNI font and pasted as if it were
//! Unicode back into Unicode, touching nothing else in the file.
//!
//! Contract: the conversion and its checks are [`phuluc::fix_encoding`]'s; here:
//! - Output goes to stdout by default; `-o OUT` writes OUT atomically; `--in-place` first
//!   copies FILE to `FILE.bak` (refusing when that exists), then rewrites FILE atomically.
//!   FILE is never modified without `--in-place`, and not at all when nothing needed
//!   converting.
//! - stderr gets one line per converted scalar (FILE:LINE:COL, the field, the first
//!   characters of the new text) and a summary, in Vietnamese or English.
//! - Exit 0 when done (also when nothing needed converting), 1 when the file has YAML
//!   errors or cannot be converted safely, 2 when a file cannot be read or written or the
//!   arguments contradict each other.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use phuluc::diag::{Diagnostic, Lang, Text};
use phuluc::fix_encoding::{Destination, backup_path, fix_bytes, same_file, write_backup};
use phuluc::legacy::Legacy;
use phuluc::model::load::{LoadOptions, read_bytes};
use phuluc::text;

use super::shared::{Outcome, report};
use phuluc::write::{atomic_write, write_error};

/// The legacy encoding `--from` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Encoding {
    /// TCVN3 (ABC), phông .VnTime, .VnArial… / TCVN3 (ABC), fonts .VnTime, .VnArial…
    Tcvn3,
    /// VNI Windows, phông VNI-Times… / VNI Windows, fonts VNI-Times…
    Vni,
}

impl Encoding {
    fn legacy(self) -> Legacy {
        match self {
            Encoding::Tcvn3 => Legacy::Tcvn3,
            Encoding::Vni => Legacy::Vni,
        }
    }
}

#[derive(Debug, Args)]
pub struct FixEncodingArgs {
    /// Tệp YAML kế hoạch / plan YAML file
    #[arg(value_name = "FILE.yaml")]
    file: PathBuf,
    /// Bảng mã cũ của các đoạn văn bản / the legacy encoding the text was typed in
    #[arg(long, value_enum, value_name = "tcvn3|vni")]
    from: Encoding,
    /// Ghi kết quả vào tệp này (mặc định: in ra màn hình) / write the result to this file
    /// (default: stdout)
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// Ghi đè FILE, giữ bản gốc ở FILE.bak / rewrite FILE, keeping the original as FILE.bak
    #[arg(long)]
    in_place: bool,
}

fn usage(message: Text, hint: Text) -> Diagnostic {
    Diagnostic::error(message).hint(hint)
}

pub fn run(args: &FixEncodingArgs, lang: Lang) -> Outcome {
    let file = args.file.as_path();
    if args.in_place && args.output.is_some() {
        report(
            &[usage(
                text!(
                    "không dùng -o cùng với --in-place",
                    "-o cannot be used with --in-place"
                ),
                text!(
                    "Chọn một: -o OUT ghi kết quả ra tệp OUT, --in-place ghi đè FILE (bản gốc giữ ở FILE.bak).",
                    "Pick one: -o OUT writes the result to OUT, --in-place rewrites FILE (the original kept as FILE.bak)."
                ),
            )],
            lang,
        );
        return Outcome::Failed;
    }
    if let Some(out) = &args.output
        && same_file(file, out)
    {
        report(
            &[usage(
                text!(
                    "tệp kết quả (-o) trùng với tệp đầu vào",
                    "the output file (-o) is the input file"
                ),
                text!(
                    "Dùng --in-place để ghi đè tệp (bản gốc giữ ở tệp .bak), hoặc chọn tên khác cho -o.",
                    "Use --in-place to rewrite the file (the original kept as a .bak file), or give -o another name."
                ),
            )
            .in_file(out)],
            lang,
        );
        return Outcome::Failed;
    }

    let bytes = match read_bytes(file, LoadOptions::default()) {
        Ok(b) => b,
        Err(d) => {
            report(&[d], lang);
            return Outcome::Failed;
        }
    };
    let from = args.from.legacy();
    let (out, fixed) = match fix_bytes(&bytes, file, from) {
        Ok(both) => both,
        Err(diags) => {
            report(&diags, lang);
            return Outcome::Problems;
        }
    };

    let nothing = fixed.converted.is_empty();
    let bak = backup_path(file);
    let destination = if let Some(path) = &args.output {
        if let Err(e) = atomic_write(path, &out) {
            report(&[write_error(path, &e)], lang);
            return Outcome::Failed;
        }
        Destination::File(path)
    } else if args.in_place {
        if !nothing {
            let perms = std::fs::metadata(file).ok().map(|m| m.permissions());
            if let Err(d) = write_backup(&bak, &bytes, perms.clone()) {
                report(&[d], lang);
                return Outcome::Failed;
            }
            // Write through a symlink to the file it names, not over the link.
            let target = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
            if let Err(e) = atomic_write(&target, &out) {
                let _ = std::fs::remove_file(&bak);
                report(&[write_error(file, &e)], lang);
                return Outcome::Failed;
            }
            if let Some(p) = perms {
                let _ = std::fs::set_permissions(&target, p);
            }
        }
        Destination::InPlace { file, bak: &bak }
    } else {
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout.write_all(&out).and_then(|()| stdout.flush()) {
            report(
                &[Diagnostic::error(text!(
                    format!("không in được kết quả ra màn hình: {e}"),
                    format!("cannot write the result to stdout: {e}")
                ))],
                lang,
            );
            return Outcome::Failed;
        }
        Destination::Stdout
    };

    for line in fixed.converted_lines(file) {
        eprintln!("{}", line.get(lang));
    }
    report(&fixed.warnings, lang);
    for line in fixed.closing_lines(file, from, destination) {
        eprintln!("{}", line.get(lang));
    }
    Outcome::Clean
}
