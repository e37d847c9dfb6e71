fn main() {
    let code = privet::cli::main(std::env::args_os());
    std::process::exit(code);
}
