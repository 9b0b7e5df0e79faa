//! `jixiao verify`: check each signature of a PDF, then render the data
//! embedded in it again with this binary and compare, byte for byte. The PDF
//! is parsed in a limited child process and nothing is written (see
//! [`jixiao::pipeline::verify`] and [`jixiao::archive::signature`]).

use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::base::diagnostic::{shown, shown_path};
use jixiao::base::files::sha256_hex;
use jixiao::archive::signature::{Trust, check, read_pem_certificates};
use jixiao::input::source::read_regular;
use jixiao::archive::isolate::{MAX_PDF_BYTES, changes_isolated, extract_isolated};
use jixiao::pipeline::verify::{verify, verify_ofd};

use super::{EXIT_INPUT, EXIT_OUTPUT, FontArgs, print_findings};

#[derive(clap::Args)]
pub struct Args {
    /// 要核验的 PDF 或 OFD（jixiao 生成、内嵌了数据的）
    pdf: PathBuf,
    /// 可信的证书（PEM，可含多张）：签名者证书须能链接到其中之一；不给则只核验签名完整，不核验证书
    #[arg(long, value_name = "CERTS.pem")]
    trust: Option<PathBuf>,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(args: Args) -> ExitCode {
    let shown_pdf = shown_path(&args.pdf);
    let bytes = match read_regular(&args.pdf, MAX_PDF_BYTES, "PDF 文件") {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{shown_pdf} 错误：无法读取：{e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let anchors = match &args.trust {
        Some(path) => match read_regular(path, 16 * 1024 * 1024, "证书文件")
            .and_then(|b| String::from_utf8(b).map_err(|_| "不是文本（PEM）文件".to_string()))
            .and_then(|t| read_pem_certificates(&t))
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("错误：--trust 的证书文件 {}：{e}；请给出 PEM 格式的证书", shown_path(path));
                return ExitCode::from(EXIT_INPUT);
            }
        },
        None => Vec::new(),
    };
    println!("SHA-256：{}  {shown_pdf}", sha256_hex(&bytes));
    // An OFD is a ZIP package: read in this process, within the limits of
    // `archive::ofd::read`; it carries no signatures jixiao checks.
    if bytes.starts_with(b"PK\x03\x04") || args.pdf.extension().is_some_and(|e| e.eq_ignore_ascii_case("ofd")) {
        return run_ofd(&bytes, &args);
    }
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("错误：找不到本程序的路径，无法启动解析进程：{e}");
            return ExitCode::from(EXIT_OUTPUT);
        }
    };
    let extracted = match extract_isolated(&exe, &bytes) {
        Ok(x) => x,
        Err(why) => {
            println!("不一致：{why}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let mut ok = true;
    let signed = !extracted.signatures.is_empty();
    if !signed && args.trust.is_some() {
        println!("不一致：PDF 没有数字签名，无从核验证书");
        ok = false;
    }
    for (i, raw) in extracted.signatures.iter().enumerate() {
        let c = check(&bytes, raw, &anchors);
        let n = i + 1;
        let signer = c.signer.clone().unwrap_or_else(|| "（无法读出）".into());
        match &c.result {
            Ok(trust) => {
                println!("签名 {n}：有效。签名者：{signer}；签名时间：{}；覆盖文件开头到第 {} 字节（到该版本的结尾）", c.time, c.end);
                match trust {
                    Trust::NotChecked => println!("签名 {n}：签名完整，但证书未经核验（可用 --trust CERTS.pem 给出可信的证书）"),
                    Trust::Trusted(anchor) => println!("签名 {n}：证书可信：链接到 {anchor}"),
                    Trust::Untrusted(why) => {
                        println!("不一致：签名 {n}：{why}");
                        ok = false;
                    }
                }
            }
            Err(why) => {
                println!("不一致：签名 {n}（签名者：{signer}）无效：{why}");
                ok = false;
            }
        }
    }
    if signed {
        let last = extracted.signatures.iter().filter_map(|s| s.byte_range.get(2).zip(s.byte_range.get(3)).map(|(b, c)| b.saturating_add(*c))).max();
        match last {
            Some(end) if end >= 0 && (end as usize) < bytes.len() => {
                println!(
                    "不一致：最后一个签名之后追加了 {} 字节（第 {end} 字节起），它们不受任何签名保护；请向签名方索取原件",
                    bytes.len() - end as usize
                );
                ok = false;
            }
            _ => println!("最后一个签名覆盖到文件结尾，其后没有追加内容"),
        }
    }
    let verdict = verify(&bytes, &extracted, &args.fonts.options());
    print_findings(&verdict.findings);
    match (verdict.result, verdict.base) {
        (Ok(()), None) if !signed => {
            println!("一致：PDF 与其内嵌的数据用本程序（jixiao {}）重新生成的结果逐字节相同", env!("CARGO_PKG_VERSION"));
        }
        (Ok(()), Some(base)) => {
            match changes_isolated(&exe, &bytes, base) {
                Ok(changes) if changes.is_empty() => {}
                Ok(changes) => {
                    for c in changes {
                        println!("不一致：{}", shown(&c));
                    }
                    ok = false;
                }
                Err(why) => {
                    println!("不一致：{why}");
                    ok = false;
                }
            }
            if ok {
                println!(
                    "一致：签名前的版本（前 {base} 字节）与其内嵌的数据用本程序（jixiao {}）重新生成的结果逐字节相同；其后的修订只增加了签名",
                    env!("CARGO_PKG_VERSION")
                );
            }
        }
        (Ok(()), None) => {
            println!("不一致：PDF 中有签名，但签名前的版本无法与重新生成的结果对上");
            ok = false;
        }
        (Err(why), _) => {
            println!("不一致：{why}");
            ok = false;
        }
    }
    if ok { ExitCode::SUCCESS } else { ExitCode::from(EXIT_INPUT) }
}

fn run_ofd(bytes: &[u8], args: &Args) -> ExitCode {
    if args.trust.is_some() {
        println!("不一致：jixiao 不核验 OFD 的签名，--trust 不适用于 OFD");
        return ExitCode::from(EXIT_INPUT);
    }
    let verdict = verify_ofd(bytes, &args.fonts.options());
    print_findings(&verdict.findings);
    match verdict.result {
        Ok(()) => {
            println!("一致：OFD 与其内嵌的数据用本程序（jixiao {}）重新生成的结果逐字节相同", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Err(why) => {
            println!("不一致：{why}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}
