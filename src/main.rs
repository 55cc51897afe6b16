fn main() -> std::process::ExitCode {
    positions::run()
}
