use std::process::ExitCode;

fn main() -> ExitCode {
    rauth::run(std::env::args_os())
}
