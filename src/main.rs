use std::process::ExitCode;

fn main() -> ExitCode {
    authdesk::cli::main()
}
