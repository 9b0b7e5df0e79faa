//! `jixiao render`: data file → PDF, OFD, or both from one layout.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jixiao::base::diagnostic::shown_path;
use jixiao::archive::pdf::Standard;
use jixiao::base::files::{output_target, sha256_hex, write_manifest};
use jixiao::pipeline::render::{Failure, Formats, Options, Rendered, render};

use super::{DataToPdf, EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE, FontArgs, inputs_of, print_findings, write_output};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: DataToPdf,
    #[command(flatten)]
    fonts: FontArgs,
    /// 即使有字在所有字体中都缺字形（会印成方框）也生成 PDF
    #[arg(long)]
    allow_missing_glyphs: bool,
    /// PDF 标准：a-3a（缺省，PDF/A-3a 与 PDF/UA-1：归档用、无障碍、可内嵌数据）、a-3b（归档用，可内嵌数据）、a-2b（归档用，不能内嵌文件）、1.7（普通 PDF）
    #[arg(long, value_enum, default_value = "a-3a")]
    pdf_standard: Standard,
    /// 不把数据文件内嵌到 PDF 中
    #[arg(long)]
    no_embed_source: bool,
    /// 同时写出 OUT.pdf.sha256（可用 sha256sum -c 校验）
    #[arg(long)]
    manifest: bool,
    /// 数据中没有自评表时，附上一张空白的《部门整体支出绩效自评表》供手填
    #[arg(long)]
    blank_score_table: bool,
    /// 生成后立即用这个证书（PKCS#12：.p12/.pfx）签名，见 jixiao sign
    #[arg(long, value_name = "UNIT.p12")]
    sign: Option<std::path::PathBuf>,
    #[command(flatten)]
    sign_options: super::sign::SignArgs,
    /// 输出格式：pdf（缺省）、ofd（GB/T 33190 版式文档，写到数据文件旁的同名 .ofd，或 -o 给出的文件），或 pdf,ofd（同一排版写出两者，OFD 与 PDF 同名、扩展名为 .ofd）
    #[arg(long, value_enum, value_delimiter = ',', default_value = "pdf", value_name = "pdf|ofd|pdf,ofd")]
    format: Vec<Format>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Pdf,
    Ofd,
}

pub fn run(args: Args) -> ExitCode {
    let formats = Formats { pdf: args.format.contains(&Format::Pdf), ofd: args.format.contains(&Format::Ofd) };
    let out = args.target.pdf_path();
    // OFD alone goes to -o itself; beside a PDF it takes the PDF's name.
    let ofd_out = match (&args.target.output, formats.pdf) {
        (Some(o), false) => o.clone(),
        _ => out.with_extension("ofd"),
    };
    if formats.pdf && formats.ofd && ofd_out == out {
        eprintln!("错误：同时生成 PDF 和 OFD 时，-o 给出的是 PDF 的文件名（OFD 与它同名、扩展名为 .ofd）；请把 -o 改为 .pdf 结尾");
        return ExitCode::from(EXIT_USAGE);
    }
    if args.sign.is_some() && !formats.pdf {
        eprintln!("错误：--sign 只用于 PDF；请同时用 --format pdf,ofd，或去掉 --sign");
        return ExitCode::from(EXIT_USAGE);
    }
    let options = Options {
        fonts: args.fonts.options(),
        allow_missing_glyphs: args.allow_missing_glyphs,
        standard: args.pdf_standard,
        embed_source: !args.no_embed_source,
        blank_score_table: args.blank_score_table,
        formats,
        ..Options::default()
    };
    // Refuse a device, a pipe or the data itself before the work, not after.
    let targets = [formats.pdf.then_some(&out), formats.ofd.then_some(&ofd_out)];
    for target in targets.into_iter().flatten() {
        if let Err(m) = output_target(target, &[args.target.data.as_path()]) {
            eprintln!("错误：{m}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    // Open the key before the work: a wrong password should cost nothing.
    let signer = match &args.sign {
        Some(p12) => match super::sign::load_signer(p12, &args.sign_options) {
            Ok(s) => Some(s),
            Err((code, m)) => {
                eprintln!("错误：{m}");
                eprintln!("未生成 PDF。");
                return ExitCode::from(code);
            }
        },
        None => None,
    };
    match render(&args.target.data, &options) {
        Ok(Rendered { bytes, ofd, prepared, .. }) => {
            print_findings(&prepared.findings);
            let mut inputs = inputs_of(&prepared);
            if let Some(ofd) = ofd {
                if let Err(code) = write_with_manifest(&ofd_out, &ofd, &inputs, args.manifest, "OFD") {
                    return code;
                }
                if !formats.pdf {
                    return ExitCode::SUCCESS;
                }
            }
            if let Some((signer, sign_options)) = &signer {
                inputs.extend(args.sign.clone());
                inputs.extend(args.sign_options.password_file.clone());
                if args.manifest {
                    eprintln!("警告：--manifest 与 --sign 同用时，校验文件记的是签名后的 PDF");
                }
                return match super::sign::sign_and_write(&bytes, signer, sign_options, &out, &inputs) {
                    Ok(()) => {
                        if args.manifest {
                            let signed = std::fs::read(&out).unwrap_or_default();
                            if let Err(code) = manifest_beside(&out, &signed, &inputs, "签名后的 PDF") {
                                return code;
                            }
                        }
                        ExitCode::SUCCESS
                    }
                    Err((code, m)) => {
                        eprintln!("错误：{m}");
                        eprintln!("未生成 PDF。");
                        ExitCode::from(code)
                    }
                };
            }
            match write_with_manifest(&out, &bytes, &inputs, args.manifest, "PDF") {
                Ok(()) => ExitCode::SUCCESS,
                Err(code) => code,
            }
        }
        Err(Failure::Input(findings)) => {
            print_findings(&findings);
            eprintln!("数据有误，未生成 PDF。");
            ExitCode::from(EXIT_INPUT)
        }
        Err(Failure::Output(msg)) => {
            eprintln!("错误：{msg}");
            eprintln!("未生成 PDF。");
            ExitCode::from(EXIT_OUTPUT)
        }
    }
}

/// Write `bytes` to `out`, then, with `--manifest`, `out.sha256` beside
/// it; `kind` ("PDF", "OFD") names the file in what is said.
fn write_with_manifest(out: &Path, bytes: &[u8], inputs: &[PathBuf], manifest: bool, kind: &str) -> Result<(), ExitCode> {
    if let Err(m) = write_output(out, bytes, inputs) {
        eprintln!("错误：{m}");
        eprintln!("未生成 {kind}。");
        return Err(ExitCode::from(EXIT_OUTPUT));
    }
    eprintln!("已生成 {}（SHA-256 {}）", shown_path(out), sha256_hex(bytes));
    if manifest { manifest_beside(out, bytes, inputs, kind) } else { Ok(()) }
}

/// Write `FILE.sha256` beside the output `out` (a `kind` file, already
/// written), refused like any output where it would replace an input or is
/// not a plain file (`output_target`): one rule for the PDF, the signed PDF
/// and the OFD.
fn manifest_beside(out: &Path, bytes: &[u8], inputs: &[PathBuf], kind: &str) -> Result<(), ExitCode> {
    let mut m = out.as_os_str().to_owned();
    m.push(".sha256");
    let refs: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
    let written = output_target(Path::new(&m), &refs).and_then(|_| write_manifest(out, bytes).map_err(|e| e.to_string()));
    match written {
        Ok(m) => {
            eprintln!("已写出校验文件 {}", shown_path(&m));
            Ok(())
        }
        Err(e) => {
            eprintln!("错误：无法写入校验文件：{}", jixiao::base::diagnostic::shown(&e));
            eprintln!("{kind} 已生成并保留在 {}；只是没有写出校验文件。", shown_path(out));
            Err(ExitCode::from(EXIT_OUTPUT))
        }
    }
}
