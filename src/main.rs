fn main() {
    // What only the program decides for its own process (the library
    // never does): interrupts remove temporary files, and libgit2 does not
    // re-hash every object it reads.
    privet::files::remove_temporaries_on_interrupt();
    privet::resolve::skip_object_rehashing();
    let code = privet::cli::main(std::env::args_os());
    std::process::exit(code);
}
