fn main() -> std::process::ExitCode {
    linli_platform::cli::main()
}
