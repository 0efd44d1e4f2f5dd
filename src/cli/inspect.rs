//! `authdesk inspect request|jwt|response`.

use super::Exit;

#[derive(Debug, clap::Subcommand)]
pub enum InspectCommand {
    /// A curl command line, a raw HTTP request, or a list of headers.
    Request,
    /// A JWT, decoded without verification.
    Jwt,
    /// A pasted HTTP response.
    Response,
}

pub fn run(_cmd: InspectCommand) -> anyhow::Result<Exit> {
    anyhow::bail!("inspect is not implemented yet")
}
