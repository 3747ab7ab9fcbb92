//! The `phuluc` binary: parses arguments and hands over to [`cli`].

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
