//! With the `cuda` feature, links libtorch_cuda.so into this crate's tests and examples even
//! though no symbol of it is referenced: libtorch registers its CUDA backend when that library
//! loads, and the linker's --as-needed would otherwise drop it (a known tch pitfall). The
//! `amorph` binary does the same in its own build script.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_CUDA").is_some() {
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed,-ltorch_cuda,--as-needed");
    }
}
