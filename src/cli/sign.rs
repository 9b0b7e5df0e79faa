//! `jixiao sign`: add a PAdES signature to a PDF (see [`jixiao::archive::sign`]). The
//! password comes from a file or the environment, never the command line
//! (it would show in `ps`); the private key stays in memory.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jixiao::base::diagnostic::{shown, shown_path};
use jixiao::base::files::{output_target, sha256_hex};
use jixiao::archive::sign::{SignOptions, Signer, Time, sign_pdf};
use jixiao::input::source::read_regular;
use jixiao::archive::isolate::MAX_PDF_BYTES;
use zeroize::Zeroizing;

use super::{EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE, write_output};

/// The environment variable that may hold the PKCS#12 password.
pub const PASSWORD_ENV: &str = "JIXIAO_P12_PASSWORD";

#[derive(clap::Args)]
pub struct Args {
    /// 要签名的 PDF
    pdf: PathBuf,
    /// 签名用的证书与私钥（PKCS#12：.p12 或 .pfx 文件）
    #[arg(long, value_name = "UNIT.p12")]
    p12: PathBuf,
    /// 输出的已签名 PDF；缺省为原文件旁的 NAME.signed.pdf（不覆盖原文件）
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    options: SignArgs,
}

/// How to sign, shared by `sign` and `render --sign`.
#[derive(clap::Args, Clone)]
pub struct SignArgs {
    /// 存放 .p12 密码的文件（取第一行）；也可用环境变量 JIXIAO_P12_PASSWORD。密码不从命令行读入
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// 签名理由
    #[arg(long, default_value = "归档")]
    pub reason: String,
    /// 签名地点（如单位所在地）
    #[arg(long)]
    pub location: Option<String>,
    /// RFC 3161 时间戳服务地址（暂不可用：目前只生成 PAdES B-B 签名）
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
}

/// The signer and options, or an exit code and a message.
pub fn load_signer(p12: &Path, args: &SignArgs) -> Result<(Signer, SignOptions), (u8, String)> {
    if args.tsa.is_some() {
        return Err((
            EXIT_USAGE,
            "--tsa 暂不可用：jixiao 还不能取得 RFC 3161 时间戳；请去掉 --tsa（签名为 PAdES B-B，签名时间取自本机时钟）".into(),
        ));
    }
    let password: Zeroizing<String> = match (&args.password_file, std::env::var(PASSWORD_ENV)) {
        (Some(file), _) => {
            let bytes = Zeroizing::new(
                read_regular(file, 4096, "密码文件").map_err(|e| (EXIT_INPUT, format!("无法读取密码文件 {}：{e}", shown_path(file))))?,
            );
            let text = std::str::from_utf8(&bytes).map_err(|_| (EXIT_INPUT, format!("密码文件 {} 不是 UTF-8 文本", shown_path(file))))?;
            Zeroizing::new(text.lines().next().unwrap_or("").to_string())
        }
        (None, Ok(p)) => Zeroizing::new(p),
        (None, Err(_)) => {
            return Err((
                EXIT_USAGE,
                format!("没有给出 .p12 的密码：请用 --password-file 文件，或环境变量 {PASSWORD_ENV}（密码不从命令行读入，以免在进程列表中露出）"),
            ));
        }
    };
    let p12_bytes = Zeroizing::new(
        read_regular(p12, 1024 * 1024, "证书文件").map_err(|e| (EXIT_INPUT, format!("无法读取证书文件 {}：{e}", shown_path(p12))))?,
    );
    let signer = Signer::from_pkcs12(&p12_bytes, &password, &shown_path(p12)).map_err(|m| (EXIT_INPUT, m))?;
    let options = SignOptions { reason: Some(args.reason.clone()).filter(|r| !r.is_empty()), location: args.location.clone() };
    Ok((signer, options))
}

/// Sign `pdf` and write the result to `out`; `inputs` may not be overwritten.
pub fn sign_and_write(pdf: &[u8], signer: &Signer, options: &SignOptions, out: &Path, inputs: &[PathBuf]) -> Result<(), (u8, String)> {
    // A PDF made to exhaust the parser fails in the limited child process.
    let exe = std::env::current_exe().map_err(|e| (EXIT_OUTPUT, format!("找不到本程序的路径，无法启动解析进程：{e}")))?;
    jixiao::archive::isolate::parses_isolated(&exe, pdf).map_err(|m| (EXIT_INPUT, m))?;
    let signed = sign_pdf(pdf, signer, options, Time::now()).map_err(|m| (EXIT_INPUT, m))?;
    write_output(out, &signed, inputs).map_err(|m| (EXIT_OUTPUT, m))?;
    eprintln!("已签名 {}（签名者：{}；SHA-256 {}）", shown_path(out), signer.name(), sha256_hex(&signed));
    Ok(())
}

pub fn run(args: Args) -> ExitCode {
    let out = args.output.clone().unwrap_or_else(|| default_output(&args.pdf));
    let mut inputs = vec![args.pdf.clone(), args.p12.clone()];
    inputs.extend(args.options.password_file.clone());
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    if let Err(m) = output_target(&out, &refs) {
        eprintln!("错误：{m}");
        return ExitCode::from(EXIT_USAGE);
    }
    let result = load_signer(&args.p12, &args.options).and_then(|(signer, options)| {
        let pdf = read_regular(&args.pdf, MAX_PDF_BYTES, "PDF 文件")
            .map_err(|e| (EXIT_INPUT, format!("无法读取 {}：{e}", shown_path(&args.pdf))))?;
        sign_and_write(&pdf, &signer, &options, &out, &inputs)
            .map_err(|(code, m)| (code, format!("{}：{m}", shown_path(&args.pdf))))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, m)) => {
            eprintln!("错误：{}", shown(&m));
            eprintln!("未签名。");
            ExitCode::from(code)
        }
    }
}

/// `报告.pdf` → `报告.signed.pdf`, beside it.
fn default_output(pdf: &Path) -> PathBuf {
    let stem = pdf.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
    pdf.with_file_name(format!("{stem}.signed.pdf"))
}
